// @effnet/blocks: the public surface (work in progress).
export {};
