// Reader for the .rnlf tensor files written by tests/fixtures/make_pytorch_fixtures.py.
//
// Format (little-endian): magic "RNLF", u32 version (1), u32 tensor count, then per tensor
// u16 name length, name, u8 dtype (0 = f32, 1 = i32), u8 ndim, i32 dims[ndim], row-major data
// (ndim 0 = one scalar). Bytes are decoded explicitly, so the host's endianness is irrelevant.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace rnnlab::test {

struct FixtureTensor {
  std::vector<int> shape;
  bool is_int = false;
  std::vector<float> f32;    // dtype 0
  std::vector<int32_t> i32;  // dtype 1
};

class Fixture {
 public:
  // Throws std::runtime_error naming the file if it is missing, truncated or foreign.
  static Fixture load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open fixture " + path);
    Fixture f;
    f.path_ = path;
    f.bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    f.parse();
    f.bytes_.clear();
    return f;
  }

  bool has(const std::string& name) const { return tensors_.count(name) != 0; }
  const std::vector<std::string>& names() const { return order_; }  // file order

  const FixtureTensor& at(const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) throw std::runtime_error(path_ + ": no tensor '" + name + "'");
    return it->second;
  }
  const std::vector<float>& f32(const std::string& name) const {
    const FixtureTensor& t = at(name);
    if (t.is_int) throw std::runtime_error(path_ + ": '" + name + "' is not f32");
    return t.f32;
  }
  const std::vector<int32_t>& i32(const std::string& name) const {
    const FixtureTensor& t = at(name);
    if (!t.is_int) throw std::runtime_error(path_ + ": '" + name + "' is not i32");
    return t.i32;
  }
  float scalar(const std::string& name) const {
    const std::vector<float>& v = f32(name);
    if (v.size() != 1) throw std::runtime_error(path_ + ": '" + name + "' is not a scalar");
    return v[0];
  }
  const std::vector<int>& shape(const std::string& name) const { return at(name).shape; }

 private:
  std::string path_;
  std::vector<char> bytes_;
  size_t pos_ = 0;
  std::map<std::string, FixtureTensor> tensors_;
  std::vector<std::string> order_;

  const unsigned char* take(size_t n) {
    if (bytes_.size() - pos_ < n) throw std::runtime_error(path_ + ": truncated fixture");
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + pos_;
    pos_ += n;
    return p;
  }
  uint32_t u32() {
    const unsigned char* p = take(4);
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  }
  uint16_t u16() {
    const unsigned char* p = take(2);
    return static_cast<uint16_t>(p[0] | p[1] << 8);
  }
  uint8_t u8() { return *take(1); }

  void parse() {
    if (bytes_.size() < 4 || std::memcmp(bytes_.data(), "RNLF", 4) != 0)
      throw std::runtime_error(path_ + ": not an RNLF fixture");
    pos_ = 4;
    uint32_t version = u32();
    if (version != 1) throw std::runtime_error(path_ + ": unsupported version " + std::to_string(version));
    uint32_t count = u32();
    for (uint32_t i = 0; i < count; ++i) {
      uint16_t len = u16();
      const unsigned char* name = take(len);
      std::string key(reinterpret_cast<const char*>(name), len);
      FixtureTensor t;
      uint8_t dtype = u8(), ndim = u8();
      if (dtype > 1) throw std::runtime_error(path_ + ": '" + key + "' has unknown dtype");
      t.is_int = dtype == 1;
      size_t n = 1;
      for (uint8_t d = 0; d < ndim; ++d) {
        int dim = static_cast<int32_t>(u32());
        if (dim < 0) throw std::runtime_error(path_ + ": '" + key + "' has a negative dimension");
        t.shape.push_back(dim);
        n *= static_cast<size_t>(dim);
      }
      if (t.is_int) t.i32.resize(n);
      else t.f32.resize(n);
      for (size_t k = 0; k < n; ++k) {
        uint32_t bits = u32();
        if (t.is_int) t.i32[k] = static_cast<int32_t>(bits);
        else std::memcpy(&t.f32[k], &bits, 4);
      }
      order_.push_back(key);
      tensors_[key] = std::move(t);
    }
    if (pos_ != bytes_.size()) throw std::runtime_error(path_ + ": trailing bytes");
  }
};

}  // namespace rnnlab::test
