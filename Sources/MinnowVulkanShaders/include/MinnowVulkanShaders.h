// SPIR-V modules compiled from Shaders/*.comp by Scripts/compile-shaders.sh.
#ifndef MINNOW_VULKAN_SHADERS_H
#define MINNOW_VULKAN_SHADERS_H
#include <stddef.h>
#include <stdint.h>

/// One compiled compute shader: its variant name and its SPIR-V words.
typedef struct MinnowShaderBlob {
    const char *name;
    const uint32_t *words;
    size_t wordCount;
} MinnowShaderBlob;

/// All compiled shaders, `minnow_shader_blob_count()` of them.
const MinnowShaderBlob *minnow_shader_blobs(void);
/// The number of compiled shaders.
size_t minnow_shader_blob_count(void);

#endif
