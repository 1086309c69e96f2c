# datasets/datasets.mk — the data the chapters read (see datasets/README.md).
#
#   make data                    fetch MNIST into datasets/mnist/ (MD5-checked), or
#                                re-verify the files there and replace a damaged one
#   MNIST_DIR=/folder make data  take the files from a folder (plain or .gz)
#   make fashion-data            make sure Fashion-MNIST's Debian package is installed
#
# For the chapters' chapter.mk files:
#   DATASET    mnist (default) or fashion — chosen on the command line,
#              e.g. `make chapter3 DATASET=fashion`
#   DATA_DIR   the folder holding the chosen dataset's four IDX files
#              (pass it to the program: --data $(DATA_DIR))
#   DATA_DEPS  file prerequisites that fetch/install the chosen dataset when it
#              is missing and do nothing when it is there. Use them as
#              order-only prerequisites:   chapter3: ... | $(DATA_DEPS)
#   MNIST_FILES   the four MNIST files, when a target needs MNIST itself.

DATASET ?= mnist
MNIST_DATA_DIR := datasets/mnist
MNIST_NAMES    := train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
MNIST_FILES    := $(addprefix $(MNIST_DATA_DIR)/,$(MNIST_NAMES))
FASHION_DIR    := /usr/share/datasets/fashion-mnist
FASHION_FILES  := $(addprefix $(FASHION_DIR)/,$(addsuffix .gz,$(MNIST_NAMES)))
FASHION_PACKAGE := dataset-fashion-mnist

ifeq ($(DATASET),mnist)
DATA_DIR  := $(MNIST_DATA_DIR)
DATA_DEPS := $(MNIST_FILES)
else ifeq ($(DATASET),fashion)
DATA_DIR  := $(FASHION_DIR)
DATA_DEPS := $(FASHION_FILES)
else
$(error DATASET=$(DATASET) is not known: use DATASET=mnist (the default) or DATASET=fashion)
endif

.PHONY: data fashion-data

# Always runs the script: it verifies what is there (size and MD5, ~0.2 s),
# replaces a damaged file (from the cached tarball in datasets/cache/ when its
# SHA-512 is right, else fetched again) and says so in one line.
data:
	@bash datasets/fetch-mnist.sh $(MNIST_DATA_DIR)

# As files: fetched once when missing (grouped: one run makes all four).
$(MNIST_FILES) &:
	@bash datasets/fetch-mnist.sh $(MNIST_DATA_DIR)

fashion-data: $(FASHION_FILES)
	@echo "Fashion-MNIST is in $(FASHION_DIR) (Debian package $(FASHION_PACKAGE))"

# Fashion-MNIST comes from Debian: install the package with apt-get (through
# sudo when not root), as `make deps` does; elsewhere say what to do.
$(FASHION_FILES) &:
	@if command -v apt-get >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "Fashion-MNIST is not in $(FASHION_DIR): installing the Debian package $(FASHION_PACKAGE)"; \
	  { $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(FASHION_PACKAGE) >/dev/null; } \
	    || { echo "apt-get install $(FASHION_PACKAGE) failed; install it by hand, or use DATASET=mnist" >&2; exit 1; }; \
	else \
	  echo "Fashion-MNIST is not in $(FASHION_DIR), and this is not a Debian/Ubuntu system." >&2; \
	  echo "Get the four Fashion-MNIST .gz files (train-images-idx3-ubyte.gz, ...) and pass their" >&2; \
	  echo "folder to the chapter program with --data, or use DATASET=mnist." >&2; \
	  exit 1; \
	fi
	@for f in $(FASHION_FILES); do [ -f $$f ] || { echo "$$f: still missing after installing $(FASHION_PACKAGE)" >&2; exit 1; }; done
