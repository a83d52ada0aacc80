# An Atheros/QCA ath79-class access point (MIPS 24Kc, big-endian).
ARCH := mips
BOARD_CXXFLAGS :=
# The linker pads to 64 KiB pages by default; these APs run 4 KiB pages.
BOARD_LDFLAGS := -Wl,-z,max-page-size=4096
