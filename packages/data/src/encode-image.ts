// Raw pixels to image files: PNG (lossless; report samples, demo files) and JPEG, with sharp, the
// same library imageFolder and decodeImage read images with.
import sharp from 'sharp';

/** Encodes `width × height × channels` bytes (1 or 3 channels) as PNG. */
export async function encodePng(pixels: Uint8Array, width: number, height: number, channels: number): Promise<Uint8Array> {
  const buffer = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: channels as 1 | 3 } }).png().toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Encodes `width × height × channels` bytes as JPEG at `quality`. */
export async function encodeJpeg(pixels: Uint8Array, width: number, height: number, channels: number, quality = 95): Promise<Uint8Array> {
  const buffer = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: channels as 1 | 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
