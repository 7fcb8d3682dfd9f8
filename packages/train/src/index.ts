// @effnet/train: the public surface.
export {};
