// @effnet/backend-wasm: the public surface (work in progress).
export {};
