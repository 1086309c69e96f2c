# tests/tests.mk — test programs that belong to no single chapter: the IDX
# reader of common/ (and datasets/fetch-mnist.sh).

TESTS += test_idx
$(eval $(call test_rule,test_idx,f32,))
