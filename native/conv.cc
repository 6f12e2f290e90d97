// gradsheet's native kernels for Node (the addon's entry; channels.cc adds BatchNorm's passes).
// The convolutions: oneDNN (the library PyTorch's CPU convolutions use)
// run tfjs's NHWC convolutions in place on the wasm heap. Three calls, one per direction:
//   forward(x, w, bias|null, y, dims)   y  = conv(x, w) + bias
//   backwardData(dy, w, dx, dims)       dx = ∂(conv)/∂x · dy
//   backwardWeights(x, dy, dw, dims)    dw = ∂(conv)/∂w · dy
// Every tensor is a Float32Array over tfjs's memory: x, y, dy, dx NHWC; w and dw [kh, kw, ci, co]
// (tfjs's filter layout). dims = [n, h, w, ci, oh, ow, co, kh, kw, sh, sw, top, left, bottom,
// right]. Primitives are built once per shape and thread (each worker thread has its own), and run
// on the calling thread only: gradsheet's parallelism is its worker threads.
#include <node_api.h>
#include <omp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

#if DNNL_VERSION_MAJOR != 2
#error "gradsheet's native convolutions need oneDNN 2.x (Debian 12: libdnnl-dev 2.6)"
#endif

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

constexpr int kDims = 15;

// What the addon's build is, for the loader to check against what it expects.
constexpr int kVersion = 1;

struct Dims {
  memory::dim n, h, w, ci, oh, ow, co, kh, kw, sh, sw, top, left, bottom, right;
  static Dims from(const memory::dim (&v)[kDims]) {
    return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
            v[13], v[14]};
  }
  std::string key() const {
    std::string k;
    for (memory::dim v : {n, h, w, ci, oh, ow, co, kh, kw, sh, sw, top, left, bottom, right})
      k += "," + std::to_string(v);
    return k;
  }
  memory::dims src() const { return {n, ci, h, w}; }
  memory::dims dst() const { return {n, co, oh, ow}; }
  memory::dims wei() const { return {co, ci, kh, kw}; }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims padL() const { return {top, left}; }
  memory::dims padR() const { return {bottom, right}; }
};

struct Engine {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{eng};
};

Engine& engine() {
  thread_local Engine e;
  return e;
}

memory::desc plain(const memory::dims& d, tag t) { return memory::desc(d, dt::f32, t); }
memory::desc any(const memory::dims& d) { return memory::desc(d, dt::f32, tag::any); }

dnnl::convolution_forward::desc forwardDesc(const Dims& d, bool bias) {
  return bias ? dnnl::convolution_forward::desc(
                    dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                    plain(d.src(), tag::nhwc), any(d.wei()), plain({d.co}, tag::a),
                    plain(d.dst(), tag::nhwc), d.strides(), d.padL(), d.padR())
              : dnnl::convolution_forward::desc(
                    dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                    plain(d.src(), tag::nhwc), any(d.wei()), plain(d.dst(), tag::nhwc),
                    d.strides(), d.padL(), d.padR());
}

// One direction of one shape: the primitive, and the reorder between tfjs's filter layout and
// the one oneDNN chose.
struct Plan {
  dnnl::primitive prim;
  memory::desc weiDesc;  // oneDNN's layout of w (or dw)
  bool reorder = false;
  dnnl::primitive weiReorder;
  std::vector<uint8_t> scratch;  // w (or dw) in oneDNN's layout
};

std::string key(int kind, const Dims& d, bool bias) {
  return std::to_string(kind) + (bias ? "b" : "") + d.key();
}

Plan& plan(int kind, const Dims& d, bool bias) {
  thread_local std::map<std::string, std::unique_ptr<Plan>> plans;
  auto& slot = plans[key(kind, d, bias)];
  if (slot) return *slot;
  auto& e = engine();
  auto p = std::make_unique<Plan>();
  auto fwdPd = dnnl::convolution_forward::primitive_desc(forwardDesc(d, bias), e.eng);
  const auto user = plain(d.wei(), tag::hwio);
  if (kind == 0) {
    p->prim = dnnl::convolution_forward(fwdPd);
    p->weiDesc = fwdPd.weights_desc();
  } else if (kind == 1) {
    auto bd = dnnl::convolution_backward_data::desc(
        dnnl::algorithm::convolution_direct, plain(d.src(), tag::nhwc), any(d.wei()),
        plain(d.dst(), tag::nhwc), d.strides(), d.padL(), d.padR());
    auto pd = dnnl::convolution_backward_data::primitive_desc(bd, e.eng, fwdPd);
    p->prim = dnnl::convolution_backward_data(pd);
    p->weiDesc = pd.weights_desc();
  } else {
    auto bw = dnnl::convolution_backward_weights::desc(
        dnnl::algorithm::convolution_direct, plain(d.src(), tag::nhwc), any(d.wei()),
        plain(d.dst(), tag::nhwc), d.strides(), d.padL(), d.padR());
    auto pd = dnnl::convolution_backward_weights::primitive_desc(bw, e.eng, fwdPd);
    p->prim = dnnl::convolution_backward_weights(pd);
    p->weiDesc = pd.diff_weights_desc();
  }
  p->reorder = p->weiDesc != user;
  if (p->reorder) {
    p->scratch.resize(p->weiDesc.get_size());
    auto userMem = memory(user, e.eng, nullptr);
    auto ourMem = memory(p->weiDesc, e.eng, nullptr);
    p->weiReorder = kind == 2 ? dnnl::reorder(ourMem, userMem) : dnnl::reorder(userMem, ourMem);
  }
  slot = std::move(p);
  return *slot;
}

// Runs one direction. kind 0: a = x, b = w, c = bias (or null), out = y. kind 1: a = dy, b = w,
// out = dx. kind 2: a = x, b = dy, out = dw.
void run(int kind, const Dims& d, float* a, float* b, float* c, float* out) {
  auto& e = engine();
  Plan& p = plan(kind, d, c != nullptr);
  const auto user = plain(d.wei(), tag::hwio);
  float* userWei = kind == 2 ? out : b;
  memory userMem(user, e.eng, userWei);
  memory wei = p.reorder ? memory(p.weiDesc, e.eng, p.scratch.data()) : userMem;
  if (p.reorder && kind != 2)
    p.weiReorder.execute(e.stream, {{DNNL_ARG_FROM, userMem}, {DNNL_ARG_TO, wei}});
  memory src(plain(d.src(), tag::nhwc), e.eng, kind == 1 ? out : a);
  memory dst(plain(d.dst(), tag::nhwc), e.eng, kind == 0 ? out : kind == 1 ? a : b);
  if (kind == 0) {
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
    if (c) args.insert({DNNL_ARG_BIAS, memory(plain({d.co}, tag::a), e.eng, c)});
    p.prim.execute(e.stream, args);
  } else if (kind == 1) {
    p.prim.execute(e.stream,
                   {{DNNL_ARG_DIFF_DST, dst}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DIFF_SRC, src}});
  } else {
    p.prim.execute(e.stream,
                   {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, dst}, {DNNL_ARG_DIFF_WEIGHTS, wei}});
    if (p.reorder) p.weiReorder.execute(e.stream, {{DNNL_ARG_FROM, wei}, {DNNL_ARG_TO, userMem}});
  }
  e.stream.wait();
}

// ---- N-API glue ----

#define CHECK(call)                                                          \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, nullptr, "gradsheet native conv: bad arguments"); \
      return nullptr;                                                        \
    }                                                                        \
  } while (0)

// The float data of a Float32Array argument (null for a JS null), with its length.
bool floats(napi_env env, napi_value v, float** data, size_t* length) {
  napi_valuetype type;
  if (napi_typeof(env, v, &type) != napi_ok) return false;
  if (type == napi_null) {
    *data = nullptr;
    *length = 0;
    return true;
  }
  napi_typedarray_type t;
  void* p;
  if (napi_get_typedarray_info(env, v, &t, length, &p, nullptr, nullptr) != napi_ok) return false;
  if (t != napi_float32_array) return false;
  *data = static_cast<float*>(p);
  return true;
}

napi_value call(napi_env env, napi_callback_info info, int kind) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  const size_t tensors = kind == 0 ? 4 : 3;
  if (argc != tensors + 1) {
    napi_throw_error(env, nullptr, "gradsheet native conv: wrong number of arguments");
    return nullptr;
  }
  float* t[4] = {nullptr, nullptr, nullptr, nullptr};
  size_t len[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < tensors; i++)
    if (!floats(env, argv[i], &t[i], &len[i])) {
      napi_throw_type_error(env, nullptr, "gradsheet native conv: expected Float32Arrays");
      return nullptr;
    }
  memory::dim v[kDims];
  for (int i = 0; i < kDims; i++) {
    napi_value el;
    int64_t x;
    CHECK(napi_get_element(env, argv[tensors], i, &el));
    CHECK(napi_get_value_int64(env, el, &x));
    // sizes and strides at least 1, paddings at least 0, none near overflow
    if (x < (i >= 11 ? 0 : 1) || x > (int64_t{1} << 30)) {
      napi_throw_range_error(env, nullptr, "gradsheet native conv: a dimension is out of range");
      return nullptr;
    }
    v[i] = x;
  }
  const Dims d = Dims::from(v);
  // lengths must match the shapes, so a wrong call cannot write outside its tensors
  const size_t src = d.n * d.h * d.w * d.ci, dst = d.n * d.oh * d.ow * d.co,
               wei = d.kh * d.kw * d.ci * d.co;
  const size_t want[3][4] = {{src, wei, (size_t)d.co, dst}, {dst, wei, src, 0}, {src, dst, wei, 0}};
  for (size_t i = 0; i < tensors; i++)
    if (t[i] ? len[i] != want[kind][i] : !(kind == 0 && i == 2)) {
      napi_throw_range_error(env, nullptr, "gradsheet native conv: a tensor's size does not match dims");
      return nullptr;
    }
  try {
    if (kind == 0) run(0, d, t[0], t[1], t[2], t[3]);
    else run(kind, d, t[0], t[1], nullptr, t[2]);
  } catch (const std::exception& err) {
    napi_throw_error(env, nullptr, (std::string("gradsheet native conv: ") + err.what()).c_str());
  }
  return nullptr;
}

napi_value forward(napi_env env, napi_callback_info info) { return call(env, info, 0); }
napi_value backwardData(napi_env env, napi_callback_info info) { return call(env, info, 1); }
napi_value backwardWeights(napi_env env, napi_callback_info info) { return call(env, info, 2); }

}  // namespace

void addChannelOps(napi_env env, napi_value exports);  // channels.cc

NAPI_MODULE_INIT() {
  omp_set_num_threads(1);  // this thread only: gradsheet's own workers are the parallelism
  napi_property_descriptor props[] = {
      {"forward", nullptr, forward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"backwardData", nullptr, backwardData, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"backwardWeights", nullptr, backwardWeights, nullptr, nullptr, nullptr, napi_default,
       nullptr},
  };
  napi_define_properties(env, exports, 3, props);
  addChannelOps(env, exports);
  napi_value version;
  napi_create_int32(env, kVersion, &version);
  napi_set_named_property(env, exports, "version", version);
  return exports;
}
