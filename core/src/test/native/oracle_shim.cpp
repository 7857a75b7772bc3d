// Runs llama.cpp as the test oracle of llm-estimator (core/src/test/java/.../gguf/LlamaCppOracle.java).
//
//   oracle_shim <backend-dir> context <model.gguf>
//       reads one context setting per stdin line:
//         n_ctx n_seq_max kv_unified n_batch n_ubatch type_k type_v flash_attn swa_full
//       (types as ggml type ids, flags 0/1) and answers one line per setting:
//         ok kv=<bytes> swa=<bytes> rs=<bytes> output=<bytes> compute=<bytes>
//         refused <llama.cpp's error lines>
//   oracle_shim <backend-dir> mtp <model.gguf>
//       loads the model with and without its multi-token-prediction layers (load_mtp) and answers first
//         weights base=<bytes> mtp=<bytes>
//       (the weight buffers of each load, read without mmap), then reads one setting per stdin line:
//         n_ctx n_seq_max n_batch n_ubatch type_k type_v flash_attn n_rs_seq draft_type_k draft_type_v
//       creates the target context (with n_rs_seq recurrent-state snapshots) and then an MTP draft context
//       (LLAMA_CONTEXT_TYPE_MTP, ctx_other = the target, n_rs_seq 0, the draft cache types) as llama.cpp's
//       common_speculative_init_result does, and answers one line per setting:
//         ok kv=<target KV> rs=<target RS> mtp_kv=<bytes> mtp_output=<bytes> mtp_compute=<bytes>
//         refused <llama.cpp's error lines>
//   oracle_shim <backend-dir> quantize <model.gguf>
//       reads one "llama_ftype imatrix(0/1)" per stdin line and runs llama_model_quantize on the file as a dry run
//       (types chosen, nothing written; with imatrix 1 every matrix gets a uniform importance matrix); answers, from
//       llama.cpp's log line of each tensor, one line per tensor and then a last line:
//         tensor <name> <ggml type id>
//         ok | quantize-failed <llama.cpp's error lines>
//
// Exact buffer sizes: llama.cpp logs each buffer it allocates only rounded to 0.01 MiB, so this executable defines
// ggml_backend_buft_alloc_buffer itself (exported with -rdynamic, so that libllama and libggml bind to it), records
// every size and forwards to the real function (dlsym RTLD_NEXT). The log line that follows an allocation
// ("KV buffer size", "RS buffer size", "output buffer size") says what the recorded bytes were for; "creating
// non-SWA/SWA KV cache" says which cache of an iSWA model the next KV buffer belongs to. The compute buffer comes from
// llama_get_memory_breakdown (src/llama-ext.h).
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "ggml-backend.h"
#include "gguf.h"
#include "llama-ext.h"
#include "llama.h"

namespace {

size_t pending = 0;          // bytes allocated since the last log line that claimed them
bool next_kv_is_swa = false;  // the KV cache being created is an iSWA model's sliding-window cache
size_t kv_bytes = 0, swa_bytes = 0, rs_bytes = 0, output_bytes = 0;
std::string errors;
std::string quant_tensor;  // the tensor whose line llama_model_quantize is logging
std::string quant_from;    // its type in the input file

void on_log(ggml_log_level level, const char * text, void *) {
    if (std::strstr(text, "creating non-SWA KV cache")) {
        next_kv_is_swa = false;
    } else if (std::strstr(text, "SWA KV cache, size")) {
        next_kv_is_swa = true;
    } else if (std::strstr(text, "KV buffer size")) {
        (next_kv_is_swa ? swa_bytes : kv_bytes) += pending;
        pending = 0;
    } else if (std::strstr(text, "RS buffer size")) {
        rs_bytes += pending;
        pending = 0;
    } else if (std::strstr(text, "output buffer size")) {
        output_bytes += pending;
        pending = 0;
    }
    // "[  12/ 100] blk.0.attn_q.weight - [  256,   256,     1,     1], type =    f32, " and then either
    // "size =    0.25 MiB ->    0.04 MiB (q4_K)" (converted) or "size =    0.250 MiB" (kept)
    char name[256], from[32];
    if (std::sscanf(text, "[%*d/%*d] %255s - [%*[^]]], type = %31[^,],", name, from) == 2) {
        quant_tensor = name;
        quant_from = from;
    } else if (!quant_tensor.empty() && std::strncmp(text, "size =", 6) == 0) {
        const char * open = std::strrchr(text, '(');
        const char * close = open ? std::strchr(open, ')') : nullptr;
        std::string to = open && close ? std::string(open + 1, close) : quant_from;
        int id = -1;
        for (int t = 0; t < GGML_TYPE_COUNT; t++) {
            const char * type_name = ggml_type_name((ggml_type) t);
            if (type_name && to == type_name) {
                id = t;
            }
        }
        std::printf("tensor %s %d\n", quant_tensor.c_str(), id);
        quant_tensor.clear();
    }
    if (level == GGML_LOG_LEVEL_ERROR) {
        std::string line(text);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.pop_back();
        }
        if (!line.empty()) {
            errors += (errors.empty() ? "" : " | ") + line;
        }
    }
    if (std::getenv("ORACLE_VERBOSE")) {
        std::fputs(text, stderr);
    }
}

int run_contexts(const char * path) {
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    llama_model * model = llama_model_load_from_file(path, mp);
    if (!model) {
        std::printf("load-failed %s\n", errors.c_str());
        return 2;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        unsigned n_ctx, n_seq, unified, n_batch, n_ubatch, flash, swa_full;
        int type_k, type_v;
        if (!(in >> n_ctx >> n_seq >> unified >> n_batch >> n_ubatch >> type_k >> type_v >> flash >> swa_full)) {
            std::printf("bad-input %s\n", line.c_str());
            continue;
        }
        llama_context_params cp = llama_context_default_params();
        cp.n_ctx = n_ctx;
        cp.n_seq_max = n_seq;
        cp.kv_unified = unified != 0;
        cp.n_batch = n_batch;
        cp.n_ubatch = n_ubatch;
        cp.type_k = (ggml_type) type_k;
        cp.type_v = (ggml_type) type_v;
        cp.flash_attn_type = flash ? LLAMA_FLASH_ATTN_TYPE_ENABLED : LLAMA_FLASH_ATTN_TYPE_DISABLED;
        cp.swa_full = swa_full != 0;
        cp.n_threads = 1;
        cp.n_threads_batch = 1;
        pending = kv_bytes = swa_bytes = rs_bytes = output_bytes = 0;
        next_kv_is_swa = false;
        errors.clear();
        llama_context * ctx = llama_init_from_model(model, cp);
        if (!ctx) {
            std::printf("refused %s\n", errors.c_str());
            std::fflush(stdout);
            continue;
        }
        size_t compute = 0;
        for (const auto & entry : llama_get_memory_breakdown(ctx)) {
            compute += entry.second.compute;
        }
        std::printf("ok kv=%zu swa=%zu rs=%zu output=%zu compute=%zu\n", kv_bytes, swa_bytes, rs_bytes,
                output_bytes, compute);
        std::fflush(stdout);
        llama_free(ctx);
    }
    llama_model_free(model);
    return 0;
}

size_t model_bytes(const char * path, bool load_mtp) {
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    mp.load_mtp = load_mtp;
    // without mmap the weights are read into buffers this executable records
    mp.load_mode = LLAMA_LOAD_MODE_NONE;
    // no repacked copies for the CPU kernels: the file's own types
    mp.use_extra_bufts = false;
    pending = 0;
    llama_model * model = llama_model_load_from_file(path, mp);
    if (!model) {
        return 0;
    }
    size_t bytes = pending;
    pending = 0;
    llama_model_free(model);
    return bytes;
}

int run_mtp(const char * path) {
    size_t base = model_bytes(path, false);
    size_t with_mtp = model_bytes(path, true);
    std::printf("weights base=%zu mtp=%zu\n", base, with_mtp);
    std::fflush(stdout);
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    mp.load_mtp = true;
    llama_model * model = llama_model_load_from_file(path, mp);
    if (!model) {
        std::printf("load-failed %s\n", errors.c_str());
        return 2;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        unsigned n_ctx, n_seq, n_batch, n_ubatch, flash, n_rs_seq;
        int type_k, type_v, draft_k, draft_v;
        if (!(in >> n_ctx >> n_seq >> n_batch >> n_ubatch >> type_k >> type_v >> flash >> n_rs_seq >> draft_k
                >> draft_v)) {
            std::printf("bad-input %s\n", line.c_str());
            continue;
        }
        llama_context_params cp = llama_context_default_params();
        cp.n_ctx = n_ctx;
        cp.n_seq_max = n_seq;
        cp.n_batch = n_batch;
        cp.n_ubatch = n_ubatch;
        cp.type_k = (ggml_type) type_k;
        cp.type_v = (ggml_type) type_v;
        cp.flash_attn_type = flash ? LLAMA_FLASH_ATTN_TYPE_ENABLED : LLAMA_FLASH_ATTN_TYPE_DISABLED;
        cp.n_rs_seq = n_rs_seq;
        cp.n_threads = 1;
        cp.n_threads_batch = 1;
        pending = kv_bytes = swa_bytes = rs_bytes = output_bytes = 0;
        next_kv_is_swa = false;
        errors.clear();
        llama_context * target = llama_init_from_model(model, cp);
        if (!target) {
            std::printf("refused %s\n", errors.c_str());
            std::fflush(stdout);
            continue;
        }
        size_t target_kv = kv_bytes + swa_bytes, target_rs = rs_bytes;
        llama_context_params dp = cp;
        dp.ctx_type = LLAMA_CONTEXT_TYPE_MTP;
        dp.ctx_other = target;
        dp.n_ctx = llama_n_ctx(target);
        dp.n_rs_seq = 0;
        dp.type_k = (ggml_type) draft_k;
        dp.type_v = (ggml_type) draft_v;
        pending = kv_bytes = swa_bytes = rs_bytes = output_bytes = 0;
        llama_context * draft = llama_init_from_model(model, dp);
        if (!draft) {
            std::printf("refused mtp context: %s\n", errors.c_str());
            std::fflush(stdout);
            llama_free(target);
            continue;
        }
        size_t compute = 0;
        for (const auto & entry : llama_get_memory_breakdown(draft)) {
            compute += entry.second.compute;
        }
        std::printf("ok kv=%zu rs=%zu mtp_kv=%zu mtp_output=%zu mtp_compute=%zu\n", target_kv, target_rs,
                kv_bytes + swa_bytes + rs_bytes, output_bytes, compute);
        std::fflush(stdout);
        llama_free(draft);
        llama_free(target);
    }
    llama_model_free(model);
    return 0;
}

int run_quantize(const char * path) {
    // A uniform importance matrix: one weight per input column (times the experts of a stacked tensor), named as
    // the tensor; llama_model_quantize accepts it in place of an imatrix file.
    ggml_context * meta = nullptr;
    gguf_init_params gp = {true, &meta};
    gguf_context * g = gguf_init_from_file(path, gp);
    if (!g) {
        std::printf("quantize-failed cannot read %s\n", path);
        return 2;
    }
    std::vector<std::string> names;
    std::vector<std::vector<float>> values;
    for (int64_t i = 0; i < gguf_get_n_tensors(g); i++) {
        const char * name = gguf_get_tensor_name(g, i);
        ggml_tensor * t = ggml_get_tensor(meta, name);
        if (ggml_n_dims(t) >= 2) {
            names.emplace_back(name);
            values.emplace_back((size_t) (t->ne[0] * t->ne[2]), 1.0f);
        }
    }
    gguf_free(g);
    ggml_free(meta);
    std::vector<llama_model_imatrix_data> imatrix;
    for (size_t i = 0; i < names.size(); i++) {
        imatrix.push_back({names[i].c_str(), values[i].data(), values[i].size()});
    }
    imatrix.push_back({nullptr, nullptr, 0});

    std::string line;
    while (std::getline(std::cin, line)) {
        int ftype, with_imatrix;
        if (std::sscanf(line.c_str(), "%d %d", &ftype, &with_imatrix) != 2) {
            std::printf("bad-input %s\n", line.c_str());
            continue;
        }
        llama_model_quantize_params qp = llama_model_quantize_default_params();
        qp.nthread = 1;
        qp.ftype = (llama_ftype) ftype;
        qp.dry_run = true;
        qp.imatrix = with_imatrix ? imatrix.data() : nullptr;
        errors.clear();
        quant_tensor.clear();
        if (llama_model_quantize(path, "/dev/null", &qp) != 0) {
            std::printf("quantize-failed %s\n", errors.c_str());
        } else {
            std::printf("ok\n");
        }
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

extern "C" ggml_backend_buffer_t ggml_backend_buft_alloc_buffer(ggml_backend_buffer_type_t buft, size_t size) {
    using alloc_fn = ggml_backend_buffer_t (*)(ggml_backend_buffer_type_t, size_t);
    static alloc_fn real = (alloc_fn) dlsym(RTLD_NEXT, "ggml_backend_buft_alloc_buffer");
    ggml_backend_buffer_t buffer = real(buft, size);
    if (buffer) {
        pending += ggml_backend_buffer_get_size(buffer);
    }
    return buffer;
}

int main(int argc, char ** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <backend-dir> context|mtp|quantize <model.gguf>\n",
                argv[0]);
        return 64;
    }
    llama_log_set(on_log, nullptr);
    ggml_backend_load_all_from_path(argv[1]);
    llama_backend_init();
    std::string mode = argv[2];
    int rc;
    if (mode == "context") {
        rc = run_contexts(argv[3]);
    } else if (mode == "mtp") {
        rc = run_mtp(argv[3]);
    } else if (mode == "quantize") {
        rc = run_quantize(argv[3]);
    } else {
        std::fprintf(stderr, "unknown mode %s\n", argv[2]);
        rc = 64;
    }
    llama_backend_free();
    return rc;
}
