// The versioned model file container (layout in rnnlab/model_file.h).
#include "rnnlab/model_file.h"

#include <cstring>
#include <limits>
#include <set>

#include "io/crc32.h"
#include "io/file_errors.h"
#include "rnnlab/error.h"

namespace rnnlab {
namespace {

constexpr uint8_t kMagic[8] = {'R', 'N', 'N', 'L', 'A', 'B', 0x00, 0x1A};
constexpr size_t kHeaderBytes = 24;  // magic, version, kind, file size
// Header + config length + tensor count + metadata length + CRC.
constexpr size_t kMinFileBytes = kHeaderBytes + 4 + 4 + 4 + 4;
// Lower bound on one tensor record (name length, 1-byte name, ndim), for checking a tensor
// count against the bytes that remain before reserving space for it.
constexpr size_t kMinTensorBytes = 4 + 1 + 4;

// Explicit byte order, so big-endian hosts read and write the same files.
void put_u32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}
void put_u64(uint8_t* p, uint64_t v) {
  put_u32(p, static_cast<uint32_t>(v));
  put_u32(p + 4, static_cast<uint32_t>(v >> 32));
}
uint32_t get_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
uint64_t get_u64(const uint8_t* p) {
  return static_cast<uint64_t>(get_u32(p)) | static_cast<uint64_t>(get_u32(p + 4)) << 32;
}
// A float's bit pattern, moved through an integer (memcpy: no aliasing UB, NaN payloads kept).
uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}
float bits_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

std::string hex32(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xF];
  return s;
}

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    else return false;
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}
bool valid_utf8(const std::string& s) {
  return valid_utf8(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// ---- Encoding ----------------------------------------------------------------------------

[[noreturn]] void bad_input(const std::string& field, const std::string& message,
                            ErrorCode code = ErrorCode::kInvalidConfig) {
  throw Error(code, field, message);
}

std::string config_text(const ModelFile& file) {
  std::string text;
  std::set<std::string> keys;
  for (const auto& [key, value] : file.config) {
    const std::string field = "config." + key;
    if (key.empty()) bad_input("config", "a config key is empty");
    if (key.find_first_of("=\n") != std::string::npos)
      bad_input(field, "keys cannot contain '=' or a newline");
    if (value.find('\n') != std::string::npos) bad_input(field, "values cannot contain a newline");
    if (!valid_utf8(key) || !valid_utf8(value)) bad_input(field, "is not valid UTF-8");
    if (!keys.insert(key).second) bad_input(field, "appears more than once");
    text += key;
    text += '=';
    text += value;
    text += '\n';
  }
  return text;
}

// Checks one tensor against the decoder's limits; returns its element count.
uint64_t check_tensor(const NamedTensor& t, size_t index, std::set<std::string>& names) {
  const std::string field = "tensors[" + std::to_string(index) + "]";
  if (t.name.empty()) bad_input(field, "has an empty name");
  if (t.name.size() > kMaxTensorNameBytes)
    bad_input(field, "name is " + std::to_string(t.name.size()) + " bytes; at most " +
                         std::to_string(kMaxTensorNameBytes) + " are allowed");
  if (!valid_utf8(t.name)) bad_input(field, "name is not valid UTF-8");
  if (!names.insert(t.name).second)
    bad_input(field, "name '" + t.name + "' appears more than once");
  const std::vector<int>& shape = t.tensor.shape;
  if (shape.size() > kMaxTensorDims)
    bad_input(field, "'" + t.name + "' has " + std::to_string(shape.size()) + " dims; at most " +
                         std::to_string(kMaxTensorDims) + " are allowed");
  // Element count without overflow: numel * d <= size exactly when numel <= size / d.
  const uint64_t have = t.tensor.data.size();
  uint64_t numel = 1;
  bool too_many = false;
  for (int d : shape) {
    if (d < 0)
      bad_input(field, "'" + t.name + "' has a negative dim in " + shape_string(shape),
                ErrorCode::kShapeMismatch);
    if (d == 0) numel = 0;
  }
  for (int d : shape) {
    if (numel == 0) break;
    if (numel > have / static_cast<uint64_t>(d)) {
      too_many = true;
      break;
    }
    numel *= static_cast<uint64_t>(d);
  }
  if (too_many || numel != have)
    bad_input(field, "'" + t.name + "' has shape " + shape_string(shape) + " but " +
                         std::to_string(have) + " values",
              ErrorCode::kShapeMismatch);
  return numel;
}

// ---- Decoding ----------------------------------------------------------------------------

// Bounds-checked cursor over [0, end). Every read checks the bytes that remain first, so
// no length field, however large, can move it past the end.
class Reader {
 public:
  Reader(const uint8_t* data, size_t end, size_t pos) : data_(data), end_(end), pos_(pos) {}
  size_t pos() const { return pos_; }
  size_t remaining() const { return end_ - pos_; }

  const uint8_t* bytes(size_t n, const std::string& field) {
    if (n > remaining())
      io::bad_file(field, "needs " + std::to_string(n) + " bytes at offset " +
                              std::to_string(pos_) + " but only " + std::to_string(remaining()) +
                              " remain (truncated)");
    const uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  uint32_t u32(const std::string& field) { return get_u32(bytes(4, field)); }

 private:
  const uint8_t* data_;
  size_t end_, pos_;
};

std::vector<std::pair<std::string, std::string>> parse_config(const uint8_t* p, size_t n) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!valid_utf8(p, n)) io::bad_file("config", "is not valid UTF-8");
  if (n > 0 && p[n - 1] != '\n') io::bad_file("config", "does not end with a newline");
  std::set<std::string> keys;
  const char* text = reinterpret_cast<const char*>(p);
  size_t start = 0, line = 1;
  while (start < n) {
    const char* nl = static_cast<const char*>(std::memchr(text + start, '\n', n - start));
    size_t stop = static_cast<size_t>(nl - text);  // found: the block ends with '\n'
    std::string entry(text + start, stop - start);
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0)
      io::bad_file("config", "line " + std::to_string(line) + " is not of the form key=value");
    std::string key = entry.substr(0, eq);
    if (!keys.insert(key).second) io::bad_file("config." + key, "appears more than once");
    out.emplace_back(std::move(key), entry.substr(eq + 1));
    start = stop + 1;
    ++line;
  }
  return out;
}

NamedTensor read_tensor(Reader& r, size_t index, std::set<std::string>& names) {
  const std::string field = "tensors[" + std::to_string(index) + "]";
  NamedTensor t;
  uint32_t name_len = r.u32(field + ".name");
  if (name_len == 0 || name_len > kMaxTensorNameBytes)
    io::bad_file(field + ".name", "length " + std::to_string(name_len) + " is outside [1, " +
                                      std::to_string(kMaxTensorNameBytes) + "]");
  const uint8_t* name = r.bytes(name_len, field + ".name");
  if (!valid_utf8(name, name_len)) io::bad_file(field + ".name", "is not valid UTF-8");
  t.name.assign(reinterpret_cast<const char*>(name), name_len);
  if (!names.insert(t.name).second)
    io::bad_file(field + ".name", "'" + t.name + "' appears more than once");

  const std::string quoted = "'" + t.name + "' ";  // messages name the tensor
  uint32_t ndim = r.u32(field + ".ndim");
  if (ndim > kMaxTensorDims)
    io::bad_file(field + ".ndim", quoted + "has " + std::to_string(ndim) + " dims; at most " +
                                      std::to_string(kMaxTensorDims) + " are allowed");
  t.tensor.shape.resize(ndim);
  bool empty = false;
  for (uint32_t k = 0; k < ndim; ++k) {
    uint32_t d = r.u32(field + ".dims");
    if (d > static_cast<uint32_t>(std::numeric_limits<int>::max()))
      io::bad_file(field + ".dims", quoted + "has dim " + std::to_string(d) + ", above INT32_MAX");
    t.tensor.shape[k] = static_cast<int>(d);
    empty = empty || d == 0;
  }
  // The values must fit in the bytes that remain; check that before allocating, with a
  // division so the product of up to 8 dims cannot overflow.
  const uint64_t capacity = r.remaining() / 4;
  uint64_t numel = empty ? 0 : 1;
  for (int d : t.tensor.shape) {
    if (numel == 0) break;
    if (numel > capacity / static_cast<uint64_t>(d))
      io::bad_file(field + ".data", quoted + "of shape " + shape_string(t.tensor.shape) +
                                        " needs more than the " + std::to_string(r.remaining()) +
                                        " bytes that remain (truncated)");
    numel *= static_cast<uint64_t>(d);
  }
  const uint8_t* p = r.bytes(static_cast<size_t>(numel) * 4, field + ".data");
  t.tensor.data.resize(static_cast<size_t>(numel));
  for (size_t i = 0; i < t.tensor.data.size(); ++i)
    t.tensor.data[i] = bits_float(get_u32(p + 4 * i));
  return t;
}

}  // namespace

std::vector<uint8_t> encode_model_file(const ModelFile& file) {
  // Validate everything and size the output exactly (in 64 bits: size_t is 32 on wasm32).
  const std::string config = config_text(file);
  if (!valid_utf8(file.metadata)) bad_input("metadata", "is not valid UTF-8");
  if (file.tensors.size() > kMaxFileTensors)
    bad_input("tensors", std::to_string(file.tensors.size()) + " tensors; at most " +
                             std::to_string(kMaxFileTensors) + " are allowed");
  const uint64_t u32_max = std::numeric_limits<uint32_t>::max();
  if (config.size() > u32_max) bad_input("config", "is larger than 4 GB");
  if (file.metadata.size() > u32_max) bad_input("metadata", "is larger than 4 GB");
  uint64_t total = kHeaderBytes + 4 + config.size() + 4;
  std::set<std::string> names;
  for (size_t i = 0; i < file.tensors.size(); ++i) {
    const NamedTensor& t = file.tensors[i];
    uint64_t numel = check_tensor(t, i, names);
    total += 4 + t.name.size() + 4 + 4 * t.tensor.shape.size() + 4 * numel;
  }
  total += 4 + file.metadata.size() + 4;
  if (total > std::numeric_limits<size_t>::max())
    bad_input("tensors", "the file would be " + std::to_string(total) +
                             " bytes, more than this platform can address", ErrorCode::kTooLarge);

  std::vector<uint8_t> out(static_cast<size_t>(total));
  uint8_t* p = out.data();
  auto put_bytes = [&p](const void* src, size_t n) {
    if (n) std::memcpy(p, src, n);
    p += n;
  };
  auto put32 = [&p](uint32_t v) {
    put_u32(p, v);
    p += 4;
  };
  put_bytes(kMagic, sizeof(kMagic));
  put32(kModelFileVersion);
  put32(file.kind);
  put_u64(p, total);
  p += 8;
  put32(static_cast<uint32_t>(config.size()));
  put_bytes(config.data(), config.size());
  put32(static_cast<uint32_t>(file.tensors.size()));
  for (const NamedTensor& t : file.tensors) {
    put32(static_cast<uint32_t>(t.name.size()));
    put_bytes(t.name.data(), t.name.size());
    put32(static_cast<uint32_t>(t.tensor.shape.size()));
    for (int d : t.tensor.shape) put32(static_cast<uint32_t>(d));
    for (float v : t.tensor.data) put32(float_bits(v));
  }
  put32(static_cast<uint32_t>(file.metadata.size()));
  put_bytes(file.metadata.data(), file.metadata.size());
  put32(io::crc32(out.data(), out.size() - 4));
  return out;
}

ModelFile decode_model_file(const uint8_t* data, size_t size) {
  if (size == 0 || data == nullptr) io::bad_file("magic", "the model file is empty");
  // Magic first: a foreign file should say so, not complain about its "version".
  if (size < sizeof(kMagic) || std::memcmp(data, kMagic, sizeof(kMagic)) != 0) {
    bool prefix = size < sizeof(kMagic) && std::memcmp(data, kMagic, size) == 0;
    io::bad_file("magic", prefix ? "the file is truncated (" + std::to_string(size) + " bytes)"
                                 : "not an rnnlab model file (wrong magic bytes)");
  }
  if (size < 12)
    io::bad_file("version", "the file is truncated (" + std::to_string(size) + " bytes)");
  // The version comes before any other check: a newer file may lay out the rest differently.
  const uint32_t version = get_u32(data + 8);
  if (version == 0) io::bad_file("version", "0 is not a model file format version");
  if (version > kModelFileVersion)
    throw Error(ErrorCode::kUnsupportedVersion, "version",
                "the file uses model file format version " + std::to_string(version) +
                    "; this build of rnnlab reads versions up to " +
                    std::to_string(kModelFileVersion) + ". Upgrade rnnlab to load it");
  if (size < kHeaderBytes)
    io::bad_file("size", "the file is truncated (" + std::to_string(size) + " bytes)");
  const uint64_t declared = get_u64(data + 16);
  if (declared > size)
    io::bad_file("size", "the file is truncated: it should be " + std::to_string(declared) +
                             " bytes but only " + std::to_string(size) + " are present");
  if (declared < size)
    io::bad_file("size", std::to_string(size - declared) +
                             " unexpected bytes after the end of the " + std::to_string(declared) +
                             "-byte file");
  if (size < kMinFileBytes)
    io::bad_file("size", std::to_string(size) + " bytes is smaller than any model file");
  const uint32_t stored = get_u32(data + size - 4);
  const uint32_t computed = io::crc32(data, size - 4);
  if (stored != computed)
    io::bad_file("checksum", "CRC-32 mismatch (stored " + hex32(stored) + ", computed " +
                                 hex32(computed) + "): the file is corrupt");

  // The checksum only says the bytes are as written; the structure is still checked in full
  // (a buggy or hostile writer can produce a valid CRC).
  Reader r(data, size - 4, 12);
  ModelFile file;
  file.kind = r.u32("kind");
  r.bytes(8, "size");
  const uint32_t config_len = r.u32("config");
  file.config = parse_config(r.bytes(config_len, "config"), config_len);

  const uint32_t count = r.u32("tensors");
  if (count > kMaxFileTensors || count > r.remaining() / kMinTensorBytes)
    io::bad_file("tensors", "count " + std::to_string(count) + " is impossible in the " +
                                std::to_string(r.remaining()) + " bytes that remain");
  file.tensors.reserve(count);
  std::set<std::string> names;
  for (uint32_t i = 0; i < count; ++i) file.tensors.push_back(read_tensor(r, i, names));

  const uint32_t meta_len = r.u32("metadata");
  const uint8_t* meta = r.bytes(meta_len, "metadata");
  if (!valid_utf8(meta, meta_len)) io::bad_file("metadata", "is not valid UTF-8");
  file.metadata.assign(reinterpret_cast<const char*>(meta), meta_len);
  if (r.remaining() != 0)
    io::bad_file("size", std::to_string(r.remaining()) +
                             " bytes between the metadata and the checksum belong to no field");
  return file;
}

}  // namespace rnnlab
