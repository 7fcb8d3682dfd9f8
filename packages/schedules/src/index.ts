// @effnet/schedules: the public surface (work in progress).
export {};
