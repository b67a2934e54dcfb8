// ONNX's messages (onnx/onnx.proto3: ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto, ValueInfoProto) as plain objects, encoded and decoded with protobuf.js. Field
// numbers are ONNX's; only the fields rnnlab writes or reads are handled, others are skipped
// (as protobuf readers do). Sub-graphs (If/Loop bodies) are not decoded: no operator rnnlab
// accepts has one, so the importer refuses them by operator name.
import { RnnlabError, fail } from '../errors.js';
import { BYTES, ProtoWriter, asBytes, asInt, asString, readFields, readFloats, readInts } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DT = Object.freeze({ FLOAT: 1, INT32: 6, INT64: 7 });

/** AttributeProto.AttributeType. */
const ATTR = Object.freeze({ FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10 });
const ATTR_NAMES = Object.freeze({ 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints', 8: 'strings', 9: 'tensors', 10: 'graphs' });

/**
 * @typedef {{name: string, dataType: number, dims: number[], data: Float32Array | number[]}} OnnxTensor
 *   FLOAT data is a Float32Array, integer data a number array
 * @typedef {{name: string, type: string, value: any}} OnnxAttribute type: 'float' | 'int' | 'string' | 'tensor' | 'floats' | 'ints' | 'strings' | other
 * @typedef {{name: string, opType: string, domain: string, inputs: string[], outputs: string[], attributes: OnnxAttribute[]}} OnnxNode
 * @typedef {{name: string, elemType: number, shape: (number | string)[] | null}} OnnxValueInfo shape null: unknown rank
 * @typedef {{name: string, nodes: OnnxNode[], initializers: OnnxTensor[], inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]}} OnnxGraph
 * @typedef {{irVersion: number, opsets: {domain: string, version: number}[], producerName: string, producerVersion: string, docString: string, graph: OnnxGraph, metadata: {key: string, value: string}[]}} OnnxModel
 */

// ---- encoding ----

/** @param {OnnxTensor} t */
function tensorProto(t) {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  // raw_data, little-endian: floats keep their exact bits.
  let raw;
  if (t.dataType === DT.FLOAT) raw = new Uint8Array(Float32Array.from(t.data).buffer);
  else if (t.dataType === DT.INT64) raw = new Uint8Array(BigInt64Array.from(t.data, (v) => BigInt(v)).buffer);
  else if (t.dataType === DT.INT32) raw = new Uint8Array(Int32Array.from(t.data).buffer);
  else throw new Error(`tensorProto: data type ${t.dataType}`);
  return w.bytes(9, raw);
}

/** @param {OnnxAttribute} a */
function attributeProto(a) {
  const w = new ProtoWriter().string(1, a.name);
  switch (a.type) {
    case 'float': return w.float(2, a.value).int(20, ATTR.FLOAT);
    case 'int': return w.int(3, a.value).int(20, ATTR.INT);
    case 'string': return w.string(4, a.value).int(20, ATTR.STRING);
    case 'tensor': return w.message(5, tensorProto(a.value)).int(20, ATTR.TENSOR);
    case 'ints': return w.packedInts(8, a.value).int(20, ATTR.INTS);
    case 'floats': return w.packedFloats(7, Float32Array.from(a.value)).int(20, ATTR.FLOATS);
    case 'strings': {
      for (const s of a.value) w.string(9, s);
      return w.int(20, ATTR.STRINGS);
    }
    default: throw new Error(`attributeProto: type ${a.type}`);
  }
}

/** @param {OnnxValueInfo} v */
function valueInfoProto(v) {
  const shape = new ProtoWriter();
  for (const d of /** @type {(number | string)[]} */ (v.shape)) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** @param {OnnxNode} n */
function nodeProto(n) {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const a of n.attributes) w.message(5, attributeProto(a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

/**
 * Encodes a model as ONNX bytes.
 * @param {OnnxModel} m
 * @returns {Uint8Array}
 */
export function encodeModel(m) {
  const g = new ProtoWriter();
  for (const n of m.graph.nodes) g.message(1, nodeProto(n));
  g.string(2, m.graph.name);
  for (const t of m.graph.initializers) g.message(5, tensorProto(t));
  for (const v of m.graph.inputs) g.message(11, valueInfoProto(v));
  for (const v of m.graph.outputs) g.message(12, valueInfoProto(v));
  const w = new ProtoWriter().int(1, m.irVersion).string(2, m.producerName).string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, g);
  for (const o of m.opsets) w.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  for (const kv of m.metadata) w.message(14, new ProtoWriter().string(1, kv.key).string(2, kv.value));
  return w.finish();
}

// ---- decoding ----

/** Elements a decoded tensor may hold (1 G floats would not fit a browser tab anyway). */
const MAX_ELEMENTS = 1 << 28;

/** @param {Uint8Array} bytes @param {string} where @returns {OnnxTensor} */
function decodeTensor(bytes, where) {
  /** @type {number[]} */
  const dims = [];
  let dataType = 0;
  let name = '';
  /** @type {Uint8Array | null} */
  let raw = null;
  /** @type {number[]} */
  const floats = [];
  /** @type {number[]} */
  const ints = [];
  let external = false;
  for (const f of readFields(bytes, where)) {
    if (f.field === 1) readInts(f, `${where}.dims`, dims);
    else if (f.field === 2) dataType = asInt(f, `${where}.data_type`);
    else if (f.field === 4) readFloats(f, `${where}.float_data`, floats);
    else if (f.field === 5 || f.field === 7) readInts(f, `${where}.int_data`, ints);
    else if (f.field === 8) name = asString(f, `${where}.name`);
    else if (f.field === 9) raw = asBytes(f, `${where}.raw_data`);
    else if (f.field === 13 || (f.field === 14 && asInt(f, `${where}.data_location`) === 1)) external = true;
  }
  const label = name ? `${where} '${name}'` : where;
  if (external) fail('BAD_MODEL_FILE', label, 'keeps its data in an external file; save the model with its weights inside (onnx.save(..., save_as_external_data=False))');
  let count = 1;
  for (const d of dims) {
    if (d < 0) fail('BAD_MODEL_FILE', `${label}.dims`, `has a negative dimension ${d}`);
    count *= d;
  }
  if (count > MAX_ELEMENTS) fail('TOO_LARGE', `${label}.dims`, `[${dims.join(', ')}] holds ${count} values, above the limit of ${MAX_ELEMENTS}`);
  /** @type {Float32Array | number[]} */
  let data;
  if (dataType === DT.FLOAT) {
    if (raw) {
      if (raw.length !== count * 4) fail('BAD_MODEL_FILE', `${label}.raw_data`, `holds ${raw.length} bytes, expected ${count * 4} for [${dims.join(', ')}] floats`);
      data = new Float32Array(count);
      new Uint8Array(data.buffer).set(raw);
    } else data = Float32Array.from(floats);
  } else if (dataType === DT.INT64 || dataType === DT.INT32) {
    if (raw) {
      const size = dataType === DT.INT64 ? 8 : 4;
      if (raw.length !== count * size) fail('BAD_MODEL_FILE', `${label}.raw_data`, `holds ${raw.length} bytes, expected ${count * size} for [${dims.join(', ')}]`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
      data = [];
      for (let i = 0; i < count; i++) {
        if (size === 4) data.push(view.getInt32(i * 4, true));
        else {
          const v = view.getBigInt64(i * 8, true);
          data.push(v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER) ? Number.NaN : Number(v));
        }
      }
    } else data = ints;
  } else {
    // Other types are kept without data; the importer says where one is not accepted.
    data = [];
    return { name, dataType, dims, data };
  }
  if (data.length !== count) fail('BAD_MODEL_FILE', label, `holds ${data.length} values, expected ${count} for [${dims.join(', ')}]`);
  return { name, dataType, dims, data };
}

/** @param {Uint8Array} bytes @param {string} where @returns {OnnxAttribute} */
function decodeAttribute(bytes, where) {
  let name = '';
  let type = 0;
  /** @type {any} */
  let scalar;
  /** @type {number[]} */
  const list = [];
  /** @type {string[]} */
  const strings = [];
  for (const f of readFields(bytes, where)) {
    if (f.field === 1) name = asString(f, `${where}.name`);
    else if (f.field === 20) type = asInt(f, `${where}.type`);
    else if (f.field === 2 && typeof f.value === 'number') scalar = f.value;
    else if (f.field === 3) scalar = asInt(f, `${where}.i`);
    else if (f.field === 4) scalar = asString(f, `${where}.s`);
    else if (f.field === 5) scalar = decodeTensor(asBytes(f, `${where}.t`), `${where}.t`);
    else if (f.field === 7) readFloats(f, `${where}.floats`, list);
    else if (f.field === 8) readInts(f, `${where}.ints`, list);
    else if (f.field === 9) strings.push(asString(f, `${where}.strings`));
  }
  const kind = ATTR_NAMES[type] ?? `type ${type}`;
  const value = type === ATTR.FLOATS || type === ATTR.INTS ? list : type === ATTR.STRINGS ? strings : scalar;
  return { name, type: kind, value };
}

/** @param {Uint8Array} bytes @param {string} where @returns {OnnxValueInfo} */
function decodeValueInfo(bytes, where) {
  let name = '';
  let elemType = 0;
  /** @type {(number | string)[] | null} */
  let shape = null;
  for (const f of readFields(bytes, where)) {
    if (f.field === 1) name = asString(f, `${where}.name`);
    else if (f.field === 2) {
      for (const t of readFields(asBytes(f, `${where}.type`), `${where}.type`)) {
        if (t.field !== 1 || t.wire !== BYTES) continue; // only tensor types
        for (const u of readFields(asBytes(t, `${where}.type`), `${where}.type`)) {
          if (u.field === 1) elemType = asInt(u, `${where}.elem_type`);
          else if (u.field === 2) {
            shape = [];
            for (const d of readFields(asBytes(u, `${where}.shape`), `${where}.shape`)) {
              if (d.field !== 1) continue;
              /** @type {number | string} */
              let dim = '?';
              for (const v of readFields(asBytes(d, `${where}.shape`), `${where}.shape`)) {
                if (v.field === 1) dim = asInt(v, `${where}.dim_value`);
                else if (v.field === 2) dim = asString(v, `${where}.dim_param`);
              }
              shape.push(dim);
            }
          }
        }
      }
    }
  }
  return { name, elemType, shape };
}

/** @param {Uint8Array} bytes @param {string} where @returns {OnnxNode} */
function decodeNode(bytes, where) {
  /** @type {OnnxNode} */
  const n = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  const attrs = [];
  for (const f of readFields(bytes, where)) {
    if (f.field === 1) n.inputs.push(asString(f, `${where}.input`));
    else if (f.field === 2) n.outputs.push(asString(f, `${where}.output`));
    else if (f.field === 3) n.name = asString(f, `${where}.name`);
    else if (f.field === 4) n.opType = asString(f, `${where}.op_type`);
    else if (f.field === 5) attrs.push(f);
    else if (f.field === 7) n.domain = asString(f, `${where}.domain`);
  }
  const label = `node '${n.name || n.opType}'`;
  n.attributes = attrs.map((f) => decodeAttribute(asBytes(f, `${label}.attribute`), `${label}.attribute`));
  return n;
}

/**
 * Decodes ONNX bytes (a ModelProto).
 * @param {Uint8Array} bytes
 * @returns {OnnxModel}
 */
export function decodeModel(bytes) {
  /** @type {OnnxModel} */
  const m = { irVersion: 0, opsets: [], producerName: '', producerVersion: '', docString: '', graph: /** @type {any} */ (null), metadata: [] };
  for (const f of topLevelFields(bytes)) {
    if (f.field === 1) m.irVersion = asInt(f, 'model.ir_version');
    else if (f.field === 2) m.producerName = asString(f, 'model.producer_name');
    else if (f.field === 3) m.producerVersion = asString(f, 'model.producer_version');
    else if (f.field === 6) m.docString = asString(f, 'model.doc_string');
    else if (f.field === 7) m.graph = decodeGraph(asBytes(f, 'model.graph'));
    else if (f.field === 8) {
      const o = { domain: '', version: 0 };
      for (const g of readFields(asBytes(f, 'model.opset_import'), 'model.opset_import')) {
        if (g.field === 1) o.domain = asString(g, 'model.opset_import.domain');
        else if (g.field === 2) o.version = asInt(g, 'model.opset_import.version');
      }
      m.opsets.push(o);
    } else if (f.field === 14) {
      const kv = { key: '', value: '' };
      for (const g of readFields(asBytes(f, 'model.metadata_props'), 'model.metadata_props')) {
        if (g.field === 1) kv.key = asString(g, 'model.metadata_props.key');
        else if (g.field === 2) kv.value = asString(g, 'model.metadata_props.value');
      }
      m.metadata.push(kv);
    }
  }
  if (!m.graph) fail('BAD_MODEL_FILE', 'model.graph', 'is missing: these bytes are not an ONNX model');
  return m;
}

/**
 * The fields of the outermost message: bytes that are not even a protobuf message are not an
 * ONNX model, and the error says so first (the wire-format detail follows).
 * @param {Uint8Array} bytes
 */
function topLevelFields(bytes) {
  try {
    return readFields(bytes, 'model');
  } catch (e) {
    if (!(e instanceof RnnlabError)) throw e;
    const detail = e.message.slice(e.field.length + 2);
    return fail('BAD_MODEL_FILE', 'model', `these bytes are not an ONNX model (not a protobuf message: it ${detail})`);
  }
}

/** @param {Uint8Array} bytes @returns {OnnxGraph} */
function decodeGraph(bytes) {
  /** @type {OnnxGraph} */
  const g = { name: '', nodes: [], initializers: [], inputs: [], outputs: [] };
  for (const f of readFields(bytes, 'graph')) {
    if (f.field === 1) g.nodes.push(decodeNode(asBytes(f, 'graph.node'), `graph.node[${g.nodes.length}]`));
    else if (f.field === 2) g.name = asString(f, 'graph.name');
    else if (f.field === 5) g.initializers.push(decodeTensor(asBytes(f, 'graph.initializer'), 'initializer'));
    else if (f.field === 11) g.inputs.push(decodeValueInfo(asBytes(f, 'graph.input'), 'graph.input'));
    else if (f.field === 12) g.outputs.push(decodeValueInfo(asBytes(f, 'graph.output'), 'graph.output'));
  }
  return g;
}
