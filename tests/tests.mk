# tests/tests.mk — test programs that belong to no single chapter: the IDX
# reader of common/ (and datasets/fetch-mnist.sh), and the fuzzers' kept
# inputs (tests/fuzz/: every seed and regression through the fuzz targets'
# own functions, built with the normal compiler — `make fuzz` itself needs
# clang).

TESTS += test_idx test_fuzz
$(eval $(call test_rule,test_idx,f32,))
# (the drawing page's request reader without its networks, as in fuzz.mk)
FUZZ_TEST_SRCS := $(wildcard tests/fuzz/fuzz_*.c) tests/fuzz/demo_networks_stub.c \
                  chapters/04-cnn/demo/demo_api.c chapters/04-cnn/demo/demo_preprocess.c
$(eval $(call test_rule,test_fuzz,f32,$(FUZZ_TEST_SRCS)))
