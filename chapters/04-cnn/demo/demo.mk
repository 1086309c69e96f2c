# chapters/04-cnn/demo/demo.mk — chapter 4's second program, `demo`: the drawing
# page (notes §4.4). Included by the top Makefile after the chapters.

# --- the request, the preprocessing and the two networks
# DEMO_LIB: what the server links besides server.c and common/ — the API
# (demo_api.c), MNIST's preprocessing, the two models, and the chapters' readable
# networks they run: chapter 3's ch3_forward (mlp.c; mlp_fast.c for what
# ch3_net_free calls) and chapter 4's cnn_forward/cnn_backward (cnn.c). All in
# float, as the chapters train them:  $(call objs,VARIANT,f32,$(DEMO_LIB) ...).
DEMO_DIR := chapters/04-cnn/demo
DEMO_LIB := $(DEMO_DIR)/demo_api.c $(DEMO_DIR)/demo_preprocess.c $(DEMO_DIR)/demo_models.c \
            chapters/03-mnist-mlp/mlp.c chapters/03-mnist-mlp/mlp_fast.c \
            chapters/03-mnist-mlp/resume.c chapters/04-cnn/cnn.c

# tests/test_demo.c: the parser and its refusals, the preprocessing on known
# inputs, both trained models on MNIST's first test images, and many threads at
# once. It reads the models `make` trained, out/03-mnist-mlp/model.safetensors
# and out/04-cnn/model.safetensors (`make test` weaves the notebooks first,
# which runs the chapters), or those under $NN_OUT; without them it fails and
# says so.
TESTS += test_demo
$(eval $(call test_rule,test_demo,f32,$(DEMO_LIB)))

# --- the server and `make demo`
#   make demo                 build the server, make sure both models exist (training
#                             chapters 3 and 4 first when they are missing), start it
#   make demo PORT=8081 HOST=0.0.0.0   another port; every interface of this machine
#   make test-demo-browser    the load test and the browser test against the server
# PORT and HOST are set with `=`, not `?=`: a shell's own HOST or PORT (zsh has
# one) must not move the server; on make's command line they win.
PORT = 8080
HOST = 127.0.0.1
# GNU libmicrohttpd (Debian: libmicrohttpd-dev), through pkg-config.
MHD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(or $(shell pkg-config --libs libmicrohttpd 2>/dev/null),-lmicrohttpd)
# The server: server.c, DEMO_LIB, chapter 4's sources but its main.c
# (CH4_LIB) and common/, in float as the chapters train.
DEMO_SRCS := $(DEMO_DIR)/server.c $(sort $(DEMO_LIB) $(CH4_LIB))
DEMO_BIN  := $(BUILD)/rel/bin/demo
DEMO_MLP   = $(CH3_BASE_OUT)/model.safetensors
DEMO_CNN   = $(CH4_BASE_OUT)/model.safetensors
$(BUILD)/%/f32/$(DEMO_DIR)/server.o: EXTRA_CFLAGS += $(MHD_CFLAGS)
$(BUILD)/%/bin/demo: $(call objs,%,f32,$(DEMO_SRCS) $(COMMON_SRCS))
	$(call link,$*,$(MHD_LIBS))
TOOLS += $(DEMO_BIN)

# The models are the chapters' runs as files: a sub-make brings them up to
# date with the chapters' own settings ($(CLEAR_SHARED): `make demo EPOCHS=1`
# does not retrain anything at one epoch), after check-deps has installed
# what was missing.
.PHONY: demo demo-ready test-demo-browser test-demo-browser-ready
demo: check-deps
	@$(MAKE) --no-print-directory demo-ready $(CLEAR_SHARED)
	$(DEMO_BIN) --mlp $(DEMO_MLP) --cnn $(DEMO_CNN) --host $(HOST) --port $(PORT) \
	  --www $(DEMO_DIR)/www --notebooks $(NB_DIR)
# (a target of its own, so that make does not say "… is up to date" of each)
demo-ready: $(DEMO_BIN) $(CH3_BASE_OUT)/summary.json $(CH4_BASE_OUT)/summary.json
	@:

# tests/browser/load.mjs: 2000 requests from 16 clients, mixed good and bad;
# tests/browser/demo.mjs: chromium draws digits on the page, screenshots in
# out/demo/. Each starts the server itself, on a free port, with these models.
# load.mjs sends MNIST's test images, whatever DATASET says.
test-demo-browser: check-deps check-test-deps
	@$(MAKE) --no-print-directory test-demo-browser-ready $(CLEAR_SHARED)
	node tests/browser/load.mjs --server $(DEMO_BIN) --mlp $(DEMO_MLP) --cnn $(DEMO_CNN) \
	  --data $(MNIST_DATA_DIR)
	node tests/browser/demo.mjs --server $(DEMO_BIN) --mlp $(DEMO_MLP) --cnn $(DEMO_CNN)
test-demo-browser-ready: demo-ready $(BROWSER_TEST) | $(MNIST_FILES)
	@:
