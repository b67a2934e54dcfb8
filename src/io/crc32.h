// CRC-32 as in zlib, PNG and Ethernet (IEEE 802.3): reflected polynomial 0xEDB88320, initial
// value and final xor 0xFFFFFFFF. crc32("123456789") == 0xCBF43926.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rnnlab::io {

// Continues `crc` (the result of a previous call, 0 to start) over n more bytes, so a
// buffer may be checksummed in pieces.
uint32_t crc32(const uint8_t* data, size_t n, uint32_t crc = 0);

}  // namespace rnnlab::io
