// Per-channel passes for gradsheet's BatchNorm in Node, in place on the wasm heap: each reads an
// NHWC activation (rows × c, c the last axis) once, where tfjs's elementwise ops and reductions
// make a pass per step. Sums are kept in double, as the wasm path's float64 exchange does.
//   channelSums(x, shift|null, square, out)  out[k] = Σ (x − shift_k)   or Σ (x − shift_k)²
//   channelDot(dy, x, shift, out)            out[k] = Σ dy, out[c + k] = Σ dy·(x − shift_k)
//   affine2(dy|null, x, a|null, b, d, shift, out)
//                                            out = a_k·dy + b_k·(x − shift_k) + d_k (no dy: no a·dy)
// shift, a, b, d have c entries; out of channelSums has c, of channelDot 2c, of affine2 x's size.
// x − shift is taken first, in float, so a mean far from 0 costs no precision.
#include <node_api.h>

#include <cstddef>
#include <vector>

namespace {

// The loops are compiled for AVX-512, AVX2 and plain x86-64, and the CPU's best is picked when the
// addon loads (GCC's target_clones): fast here, and safe on a CPU without them.
#if defined(__x86_64__) && defined(__GNUC__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

VECTOR_CLONES void sumRows(const float* x, size_t rows, size_t c, const double* mu, bool square,
                           double* acc) {
  for (size_t r = 0; r < rows; r++) {
    const float* row = x + r * c;
    if (square)
      for (size_t k = 0; k < c; k++) {
        const double v = row[k] - mu[k];
        acc[k] += v * v;
      }
    else
      for (size_t k = 0; k < c; k++) acc[k] += row[k] - mu[k];
  }
}

VECTOR_CLONES void dotRows(const float* dy, const float* x, size_t rows, size_t c,
                           const double* mu, double* s, double* sd) {
  for (size_t r = 0; r < rows; r++) {
    const float* g = dy + r * c;
    const float* v = x + r * c;
    for (size_t k = 0; k < c; k++) {
      s[k] += g[k];
      sd[k] += static_cast<double>(g[k]) * (v[k] - mu[k]);
    }
  }
}

VECTOR_CLONES void affineRows(const float* dy, const float* x, size_t rows, size_t c,
                              const float* a, const float* b, const float* d, const float* mu,
                              float* out) {
  for (size_t r = 0; r < rows; r++) {
    const float* v = x + r * c;
    float* o = out + r * c;
    if (dy) {
      const float* g = dy + r * c;
      for (size_t k = 0; k < c; k++) o[k] = a[k] * g[k] + b[k] * (v[k] - mu[k]) + d[k];
    } else {
      for (size_t k = 0; k < c; k++) o[k] = b[k] * (v[k] - mu[k]) + d[k];
    }
  }
}

struct Floats {
  float* data = nullptr;
  size_t length = 0;
};

bool floats(napi_env env, napi_value v, Floats* f) {
  napi_valuetype type;
  if (napi_typeof(env, v, &type) != napi_ok) return false;
  if (type == napi_null) return true;
  napi_typedarray_type t;
  void* p;
  if (napi_get_typedarray_info(env, v, &t, &f->length, &p, nullptr, nullptr) != napi_ok ||
      t != napi_float32_array)
    return false;
  f->data = static_cast<float*>(p);
  return true;
}

// Reads `n` Float32Array-or-null arguments; throws and returns false on anything else.
bool args(napi_env env, napi_callback_info info, size_t n, Floats* out, napi_value* rest = nullptr,
          size_t restCount = 0) {
  napi_value argv[8];
  size_t argc = 8;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok ||
      argc != n + restCount) {
    napi_throw_error(env, nullptr, "gradsheet channel op: wrong number of arguments");
    return false;
  }
  for (size_t i = 0; i < n; i++)
    if (!floats(env, argv[i], &out[i])) {
      napi_throw_type_error(env, nullptr, "gradsheet channel op: expected Float32Arrays");
      return false;
    }
  for (size_t i = 0; i < restCount; i++) rest[i] = argv[n + i];
  return true;
}

bool fail(napi_env env, const char* what) {
  napi_throw_range_error(env, nullptr, what);
  return false;
}

// channelSums(x, shift|null, square: boolean, out)
napi_value channelSums(napi_env env, napi_callback_info info) {
  Floats f[2];
  napi_value rest[2];
  if (!args(env, info, 2, f, rest, 2)) return nullptr;
  const Floats &x = f[0], &shift = f[1];
  Floats out;
  if (!floats(env, rest[1], &out) || !out.data) {
    napi_throw_type_error(env, nullptr, "channelSums: out must be a Float32Array");
    return nullptr;
  }
  bool square = false;
  if (napi_get_value_bool(env, rest[0], &square) != napi_ok) {
    napi_throw_type_error(env, nullptr, "channelSums: square must be a boolean");
    return nullptr;
  }
  const size_t c = out.length;
  if (c == 0 || !x.data || x.length % c != 0 || (shift.data && shift.length != c)) {
    fail(env, "channelSums: sizes do not match");
    return nullptr;
  }
  std::vector<double> acc(c, 0.0), mu(c, 0.0);
  if (shift.data)
    for (size_t k = 0; k < c; k++) mu[k] = shift.data[k];
  sumRows(x.data, x.length / c, c, mu.data(), square, acc.data());
  for (size_t k = 0; k < c; k++) out.data[k] = static_cast<float>(acc[k]);
  return nullptr;
}

// channelDot(dy, x, shift, out)
napi_value channelDot(napi_env env, napi_callback_info info) {
  Floats f[4];
  if (!args(env, info, 4, f)) return nullptr;
  const Floats &dy = f[0], &x = f[1], &shift = f[2], &out = f[3];
  const size_t c = shift.length;
  if (c == 0 || !dy.data || !x.data || !out.data || dy.length != x.length || x.length % c != 0 ||
      out.length != 2 * c) {
    fail(env, "channelDot: sizes do not match");
    return nullptr;
  }
  std::vector<double> s(c, 0.0), sd(c, 0.0), mu(shift.data, shift.data + c);
  dotRows(dy.data, x.data, x.length / c, c, mu.data(), s.data(), sd.data());
  for (size_t k = 0; k < c; k++) {
    out.data[k] = static_cast<float>(s[k]);
    out.data[c + k] = static_cast<float>(sd[k]);
  }
  return nullptr;
}

// affine2(dy|null, x, a|null, b, d, shift, out)
napi_value affine2(napi_env env, napi_callback_info info) {
  Floats f[7];
  if (!args(env, info, 7, f)) return nullptr;
  const Floats &dy = f[0], &x = f[1], &a = f[2], &b = f[3], &d = f[4], &shift = f[5], &out = f[6];
  const size_t c = b.length;
  if (c == 0 || !x.data || !out.data || !b.data || d.length != c || shift.length != c ||
      !d.data || !shift.data || (dy.data != nullptr) != (a.data != nullptr) ||
      (dy.data && (dy.length != x.length || a.length != c)) || out.length != x.length ||
      x.length % c != 0) {
    fail(env, "affine2: sizes do not match");
    return nullptr;
  }
  affineRows(dy.data, x.data, x.length / c, c, a.data, b.data, d.data, shift.data, out.data);
  return nullptr;
}

}  // namespace

// Adds the three functions to the addon's exports (called from conv.cc's module init).
void addChannelOps(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"channelSums", nullptr, channelSums, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"channelDot", nullptr, channelDot, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"affine2", nullptr, affine2, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 3, props);
}
