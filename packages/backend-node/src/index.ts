// @effnet/backend-node: the public surface (work in progress).
export {};
