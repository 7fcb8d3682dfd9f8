// @effnet/backends: the public surface (work in progress).
export {};
