# A MediaTek MT7621-class router (MIPS 1004Kc, little-endian).
ARCH := mipsel
BOARD_CXXFLAGS :=
# The linker pads to 64 KiB pages by default; these routers run 4 KiB pages.
BOARD_LDFLAGS := -Wl,-z,max-page-size=4096
