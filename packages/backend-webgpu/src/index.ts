// @effnet/backend-webgpu: the public surface (work in progress).
export {};
