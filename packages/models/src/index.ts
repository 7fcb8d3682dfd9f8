// @effnet/models: the public surface (work in progress).
export {};
