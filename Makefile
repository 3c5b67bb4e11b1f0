# tms — make run, make test. See README.md.
PREFIX ?= /usr/local
SWIFT ?= swift
APT_PACKAGES = libedit-dev jq time curl tmux openssl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build test run bench install clean fuzz reliability openapi

# Installs the Debian packages the build, tests and benchmarks need; apt-get runs only
# when one is missing, and its package lists are refreshed once first.
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@# The PyPI v2 client Tests/fidelity.py runs against tms serve, kept out of the system's Python.
	@[ -d .build/python/trackingmore ] || python3 -m pip install -q --disable-pip-version-check --target .build/python trackingmore==0.2
	@# The OpenAPI validator Tests/openapi.py uses (with PyYAML and jsonschema), when the machine lacks it.
	@python3 -c "import openapi_spec_validator, yaml, jsonschema, referencing" 2>/dev/null || [ -d .build/python/openapi_spec_validator ] \
	  || python3 -m pip install -q --disable-pip-version-check --target .build/python openapi-spec-validator==0.9.0 PyYAML

build: setup
	$(SWIFT) build

test: build
	$(SWIFT) test
	Tests/cli.sh .build/debug/tms
	Tests/serve.sh .build/debug/tms
	python3 Tests/openapi.py .build/debug/tms
	python3 Tests/e2e.py .build/debug/tms
	python3 Tests/webhooks.py .build/debug/tms
	python3 Tests/reliability.py .build/debug/tms
	python3 Tests/fidelity.py .build/debug/tms
	Tests/repl.sh .build/debug/tms
	Tests/learn.sh .build/debug/tms

# docs/openapi.yaml is generated from the API catalog: this rewrites it (Tests/openapi.py fails
# when the committed file differs from what `tms openapi` prints).
openapi:
	$(SWIFT) build --product tms
	.build/debug/tms openapi > docs/openapi.yaml.new && mv docs/openapi.yaml.new docs/openapi.yaml

# libFuzzer targets (Fuzz/): a second, instrumented build in .build-fuzz, then N seconds each.
SECONDS ?= 60
fuzz: setup
	Fuzz/run.sh $(SECONDS)

# The long reliability runs (load, kill -9, faults), whose figures docs/reliability.md holds.
reliability: build
	python3 Tests/reliability.py .build/debug/tms --long

run: build
	.build/debug/tms

# The release binary links the Swift standard library and Foundation statically: it starts in
# about half the time of a dynamically linked one (docs/performance.md).
RELEASE = $(SWIFT) build -c release --static-swift-stdlib

# Not part of make test: it takes minutes and measures this machine (docs/performance.md).
bench:
	@$(MAKE) --no-print-directory setup APT_PACKAGES="$(APT_PACKAGES) wrk python3-pip"
	$(RELEASE) --product tms
	$(RELEASE) --product tms-envelope-server
	Benchmarks/run.sh .build/release/tms .build/release/tms-envelope-server

install: setup
	$(RELEASE) --product tms
	install -d $(PREFIX)/bin
	install -m 755 .build/release/tms $(PREFIX)/bin/tms
	rm -rf $(PREFIX)/share/tms/lessons
	install -d $(PREFIX)/share/tms/lessons
	cp -R lessons/. $(PREFIX)/share/tms/lessons/

clean:
	rm -rf .build
