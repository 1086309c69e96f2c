# tests/tests.mk — test programs that belong to no single chapter: the
# IDX reader of common/ (and datasets/fetch-mnist.sh). Registered the way
# chapters/01-perceptron/chapter.mk registers test_ch1.

TESTS += test_idx
build/%/tests/test_idx: $(call objs,%,tests/test_idx.c tests/testutil.c $(COMMON_SRCS))
	$(call link,$*,$(CHECK_LIBS))
