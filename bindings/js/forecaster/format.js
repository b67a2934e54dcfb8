// The forecaster file: "RNLF", a format version, the fitted plan as JSON (spaces, members,
// combination, calibration, report) and the bytes of each network (rnnlab model files).
//   bytes 0-3 "RNLF" | u32 version | u32 json length | json (UTF-8) | u32 networks |
//   per network: u32 length | model file bytes          (little-endian)
import { fail } from '../errors.js';

const MAGIC = [0x52, 0x4e, 0x4c, 0x46];
// Version 2: a network member may carry the smoothing base it corrects (state.base). Version 1
// files (plain network members) read as before.
export const FORMAT_VERSION = 2;

/**
 * @param {object} plan
 * @param {Uint8Array[]} networks
 * @returns {Uint8Array}
 */
export function writeForecasterFile(plan, networks) {
  const json = new TextEncoder().encode(JSON.stringify(plan));
  let size = 16 + json.length;
  for (const n of networks) size += 4 + n.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint32(4, FORMAT_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  let p = 12 + json.length;
  dv.setUint32(p, networks.length, true);
  p += 4;
  for (const n of networks) {
    dv.setUint32(p, n.length, true);
    out.set(n, p + 4);
    p += 4 + n.length;
  }
  return out;
}

/**
 * @param {Uint8Array} u8
 * @returns {{plan: any, networks: Uint8Array[]}}
 */
export function readForecasterFile(u8) {
  const bad = (why) => fail('BAD_MODEL_FILE', 'bytes', `not a forecaster file saved by forecaster.save(): ${why}`);
  if (u8.length < 16 || MAGIC.some((b, i) => u8[i] !== b)) bad('missing the RNLF header');
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const version = dv.getUint32(4, true);
  if (version > FORMAT_VERSION) {
    fail('UNSUPPORTED_VERSION', 'bytes', `forecaster file version ${version} is newer than this build reads (${FORMAT_VERSION})`);
  }
  const jsonLength = dv.getUint32(8, true);
  if (12 + jsonLength + 4 > u8.length) bad('truncated');
  let plan;
  try {
    plan = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(u8.subarray(12, 12 + jsonLength)));
  } catch {
    bad('its plan is not valid JSON');
  }
  if (plan === null || typeof plan !== 'object' || !Array.isArray(plan.members)) bad('its plan has no members');
  let p = 12 + jsonLength;
  const count = dv.getUint32(p, true);
  p += 4;
  const networks = [];
  for (let i = 0; i < count; i++) {
    if (p + 4 > u8.length) bad('truncated');
    const len = dv.getUint32(p, true);
    p += 4;
    if (p + len > u8.length) bad('truncated');
    networks.push(u8.slice(p, p + len));
    p += len;
  }
  if (p !== u8.length) bad('trailing bytes');
  return { plan, networks };
}
