/** Builders for hand-made safetensors files in the io tests. */

/** A file from a header (object or raw JSON text), data bytes, and optionally a forged header length. */
export function buildFile(header: object | string, data: Uint8Array | number = 0, options: { length?: bigint; pad?: boolean } = {}): Uint8Array {
  let json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  if (options.pad ?? true) {
    const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const body = typeof data === "number" ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, options.length ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

/** The header of a file as JSON text (padding included). */
export function headerText(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

/** The data section of a file. */
export function dataSection(bytes: Uint8Array): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return bytes.subarray(8 + n);
}

/** Float32 bit patterns as signed int32, the way tools/gen_io_fixtures.py records them. */
export function f32Bits(a: Float32Array): number[] {
  return Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));
}

/** Float64 bit patterns as 16-digit hex. */
export function f64Bits(a: Float64Array): string[] {
  const v = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  return Array.from(v, (x) => x.toString(16).padStart(16, "0"));
}
