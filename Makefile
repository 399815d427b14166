# The two commands of the README:
#   make run   build, then run a development gateway on loopback
#   make test  install what is missing, build, run the test suite, run it again
#              under AddressSanitizer and UndefinedBehaviorSanitizer, and fuzz
#              every reader of outside input (a minute for messages, 15 s for
#              each other one; FUZZ_TIME=600 gives each ten minutes)
PACKAGES = meson ninja-build pkg-config gcc clang llvm libclang-rt-14-dev \
	clang-format libxml2-dev libxml2-utils libcmocka-dev python3 python3-jsonschema \
	libssl-dev openssl libcurl4-openssl-dev curl libevent-dev libinih-dev \
	libsqlite3-dev sqlite3 libjansson-dev libpq-dev postgresql libsystemd-dev systemd \
	chromium chromium-driver

BUILD      = build
ASAN_BUILD = build-asan
FUZZ_TIME ?=
BIN        = $(BUILD)/gateway/ijw-gateway

.PHONY: all deps build run test unit asan fuzz bench clean

all: build

deps:
	@tools/deps.sh $(PACKAGES)

$(BUILD)/build.ninja:
	meson setup --werror $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# A development gateway on loopback: a PKI and configuration in $(STATE) the
# first time, then the daemon in the foreground. Both parties answer for
# themselves (retour = relay), so that every sample can be sent to it.
STATE = state
PORT  = 8443

run: build
	@[ -f $(STATE)/gateway.ini ] || $(BIN) pki init $(STATE) \
		--party gemeente:0384 --party aanbieder:42420001 --retour relay --port $(PORT)
	@tools/howto.sh $(STATE) $(PORT)
	$(BIN) serve -c $(STATE)/gateway.ini

unit: build
	meson test -C $(BUILD) --print-errorlogs

$(ASAN_BUILD)/build.ninja:
	CC=clang meson setup --werror -Db_sanitize=address,undefined -Db_lundef=false \
		-Dfuzz=true $(ASAN_BUILD)

asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C $(ASAN_BUILD) --print-errorlogs

fuzz: asan
	tests/fuzz/run.sh $(ASAN_BUILD) $(FUZZ_TIME)

test: unit asan fuzz

# bench_relay measures the gateway on SQLite and on PostgreSQL (a throw-away
# server of tests/with-pg) against plain libxml2 and Debian's nginx, which it
# installs when it can (as root); without nginx bench_relay says so and
# measures the others.
# bench_push (Python, like the integration tests' harness it uses) measures a
# healthy push receiver beside a hanging one.
bench: build
	-@tools/deps.sh nginx
	$(BUILD)/tests/bench/bench_validate
	tests/with-pg $(BUILD)/tests/bench/bench_relay
	$(BUILD)/tests/bench/bench_ledger
	python3 tests/bench/bench_push.py $(BIN)
	$(BUILD)/tests/bench/bench_parse
	python3 tests/bench/bench_hostile.py $(BIN) .

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
