include $(sort $(wildcard $(BR2_EXTERNAL_IPRES_PATH)/package/*/*.mk))
