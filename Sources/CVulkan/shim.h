// Vulkan declarations without prototypes: Minnow opens libvulkan.so.1 at run time and
// resolves every entry point through vkGetInstanceProcAddr, so binaries start on machines
// without a Vulkan loader. Do not add a link directive or pkgConfig to this module.
#ifndef MINNOW_CVULKAN_SHIM_H
#define MINNOW_CVULKAN_SHIM_H
#define VK_NO_PROTOTYPES 1
#include <vulkan/vulkan.h>
#endif
