package io.github.llmestimator.catalog;

import io.github.llmestimator.hardware.Device;

/**
 * Typed constants for the catalog's hardware presets, so that an IDE lists them: {@code Hardware.RTX_4090}. Each
 * constant is the {@link Device} of {@code Catalog.hardware(id)}; the preset itself (with its sources) is there.
 *
 * <p>This class is thread-safe; the devices are immutable.
 */
public final class Hardware {

    /** NVIDIA A100 40GB (SXM4) ({@code a100-40gb}). */
    public static final Device A100_40GB = Catalog.hardware("a100-40gb").device();

    /** NVIDIA A100 80GB (SXM4) ({@code a100-80gb}). */
    public static final Device A100_80GB = Catalog.hardware("a100-80gb").device();

    /** NVIDIA B200 (HGX B200, 1000 W) ({@code b200}). */
    public static final Device B200 = Catalog.hardware("b200").device();

    /** DDR4-3200 dual channel (desktop) ({@code ddr4-3200-dual-channel}). */
    public static final Device DDR4_3200_DUAL_CHANNEL = Catalog.hardware("ddr4-3200-dual-channel").device();

    /** DDR5-4800 8-channel (workstation / server socket) ({@code ddr5-4800-8-channel}). */
    public static final Device DDR5_4800_8_CHANNEL = Catalog.hardware("ddr5-4800-8-channel").device();

    /** DDR5-5600 dual channel (desktop) ({@code ddr5-5600-dual-channel}). */
    public static final Device DDR5_5600_DUAL_CHANNEL = Catalog.hardware("ddr5-5600-dual-channel").device();

    /** DDR5-6000 12-channel (server socket) ({@code ddr5-6000-12-channel}). */
    public static final Device DDR5_6000_12_CHANNEL = Catalog.hardware("ddr5-6000-12-channel").device();

    /** DDR5-6400 dual channel (desktop) ({@code ddr5-6400-dual-channel}). */
    public static final Device DDR5_6400_DUAL_CHANNEL = Catalog.hardware("ddr5-6400-dual-channel").device();

    /** NVIDIA DGX Spark (GB10 Grace Blackwell) ({@code dgx-spark}). */
    public static final Device DGX_SPARK = Catalog.hardware("dgx-spark").device();

    /** NVIDIA H100 PCIe 80GB ({@code h100-pcie}). */
    public static final Device H100_PCIE = Catalog.hardware("h100-pcie").device();

    /** NVIDIA H100 SXM5 80GB ({@code h100-sxm}). */
    public static final Device H100_SXM = Catalog.hardware("h100-sxm").device();

    /** NVIDIA H200 SXM 141GB ({@code h200}). */
    public static final Device H200 = Catalog.hardware("h200").device();

    /** NVIDIA L40S ({@code l40s}). */
    public static final Device L40S = Catalog.hardware("l40s").device();

    /** Apple M1 Max (32-core GPU, 64 GB) ({@code m1-max}). */
    public static final Device M1_MAX = Catalog.hardware("m1-max").device();

    /** Apple M1 Pro (16-core GPU, 32 GB) ({@code m1-pro}). */
    public static final Device M1_PRO = Catalog.hardware("m1-pro").device();

    /** Apple M1 Ultra (64-core GPU, 128 GB) ({@code m1-ultra}). */
    public static final Device M1_ULTRA = Catalog.hardware("m1-ultra").device();

    /** Apple M1 (8-core GPU, 16 GB) ({@code m1}). */
    public static final Device M1 = Catalog.hardware("m1").device();

    /** Apple M2 Max (38-core GPU, 96 GB) ({@code m2-max}). */
    public static final Device M2_MAX = Catalog.hardware("m2-max").device();

    /** Apple M2 Pro (19-core GPU, 32 GB) ({@code m2-pro}). */
    public static final Device M2_PRO = Catalog.hardware("m2-pro").device();

    /** Apple M2 Ultra (76-core GPU, 192 GB) ({@code m2-ultra}). */
    public static final Device M2_ULTRA = Catalog.hardware("m2-ultra").device();

    /** Apple M2 (10-core GPU, 24 GB) ({@code m2}). */
    public static final Device M2 = Catalog.hardware("m2").device();

    /** Apple M3 Max (40-core GPU, 128 GB) ({@code m3-max}). */
    public static final Device M3_MAX = Catalog.hardware("m3-max").device();

    /** Apple M3 Pro (18-core GPU, 36 GB) ({@code m3-pro}). */
    public static final Device M3_PRO = Catalog.hardware("m3-pro").device();

    /** Apple M3 Ultra (80-core GPU, 512 GB) ({@code m3-ultra}). */
    public static final Device M3_ULTRA = Catalog.hardware("m3-ultra").device();

    /** Apple M3 (10-core GPU, 24 GB) ({@code m3}). */
    public static final Device M3 = Catalog.hardware("m3").device();

    /** Apple M4 Max (40-core GPU, 128 GB) ({@code m4-max}). */
    public static final Device M4_MAX = Catalog.hardware("m4-max").device();

    /** Apple M4 Pro (20-core GPU, 64 GB) ({@code m4-pro}). */
    public static final Device M4_PRO = Catalog.hardware("m4-pro").device();

    /** Apple M4 (10-core GPU, 32 GB) ({@code m4}). */
    public static final Device M4 = Catalog.hardware("m4").device();

    /** AMD Instinct MI300X ({@code mi300x}). */
    public static final Device MI300X = Catalog.hardware("mi300x").device();

    /** NVIDIA GeForce RTX 3060 12 GB ({@code rtx-3060-12gb}). */
    public static final Device RTX_3060_12GB = Catalog.hardware("rtx-3060-12gb").device();

    /** NVIDIA GeForce RTX 3090 ({@code rtx-3090}). */
    public static final Device RTX_3090 = Catalog.hardware("rtx-3090").device();

    /** NVIDIA GeForce RTX 4060 Ti 16 GB ({@code rtx-4060-ti-16gb}). */
    public static final Device RTX_4060_TI_16GB = Catalog.hardware("rtx-4060-ti-16gb").device();

    /** NVIDIA GeForce RTX 4080 (16 GB) ({@code rtx-4080}). */
    public static final Device RTX_4080 = Catalog.hardware("rtx-4080").device();

    /** NVIDIA GeForce RTX 4090 ({@code rtx-4090}). */
    public static final Device RTX_4090 = Catalog.hardware("rtx-4090").device();

    /** NVIDIA GeForce RTX 5080 ({@code rtx-5080}). */
    public static final Device RTX_5080 = Catalog.hardware("rtx-5080").device();

    /** NVIDIA GeForce RTX 5090 ({@code rtx-5090}). */
    public static final Device RTX_5090 = Catalog.hardware("rtx-5090").device();

    /** NVIDIA RTX PRO 6000 Blackwell Workstation Edition ({@code rtx-pro-6000-blackwell}). */
    public static final Device RTX_PRO_6000_BLACKWELL = Catalog.hardware("rtx-pro-6000-blackwell").device();

    /** AMD Ryzen AI Max+ 395 (Strix Halo, Radeon 8060S) ({@code ryzen-ai-max-395}). */
    public static final Device RYZEN_AI_MAX_395 = Catalog.hardware("ryzen-ai-max-395").device();

    private Hardware() {
    }
}
