# The README's two commands: `make quickstart` (the main job) and `make test`.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: quickstart test deps build release bench clean

## Install missing Debian packages, build, and run the quickstart sweep on the embedded default.
quickstart: deps
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --product sfulab
	.build/release/sfulab sweep Experiments/quickstart.yaml

## Install missing packages (including test tools) and run every test.
test:
	scripts/install-deps.sh --with-test-tools
	$(SWIFT) test $(SWIFT_BUILD_FLAGS)

deps:
	scripts/install-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

clean:
	rm -rf .build
