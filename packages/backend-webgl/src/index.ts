// @effnet/backend-webgl: the public surface (work in progress).
export {};
