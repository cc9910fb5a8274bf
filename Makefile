# The README's two commands: `make quickstart` (the main job) and `make test`.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: quickstart test deps build release bench clean workloads workloads-long

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

## Regenerate the shipped Workloads/ from their seeds (same bytes every time; docs/workloads.md).
workloads: release
	scripts/make-workloads.sh .build/release/sfulab

## The same sessions at 60 s, generated on demand (too large to ship) into build/workloads/.
workloads-long: release
	scripts/make-workloads.sh .build/release/sfulab --long build/workloads
