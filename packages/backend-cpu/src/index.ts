// @effnet/backend-cpu: the public surface (work in progress).
export {};
