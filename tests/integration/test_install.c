/*
 * An installed tree: `make check` runs `make install DESTDIR=$BW_BUILD/inst
 * PREFIX=/opt/bw` first.  The installed CLI must preload the shim of its
 * own prefix through $LIB, never one from the current directory; a 32-bit
 * program gets the 32-bit shim where one is installed, and the elf-class
 * warning where none is.  The scenarios are in tests/integration/install/;
 * the rows say what their key=value lines must be (cases.h).
 */
#include "cases.h"
#include "harness.h"

#define INSTALL(name, ...)						\
	BW_CASE(install, name, 60, .script = "install/" #name ".sh",	\
	    .hosts = bw_hosts_dual, __VA_ARGS__)

INSTALL(installed_cli_uses_its_own_prefix,
    .expect = BW_LIST("rc=0",
	"preloading>0",
	"own>0",
	"listen>0",
	"decoy=0",
	"ldso_error=0",
	"version~bindwatch *"))

/* Without a 32-bit toolchain (gcc-multilib) there is no 32-bit fixture. */
INSTALL(thirty_two_bit_program_is_watched,
    .need = "fixtures32/bind_once",
    .expect = BW_LIST("rc=0",
	"binds=1",
	"elfclass=0",
	"binds2=1",
	"elfclass2=0",
	"binds3=0",
	"elfclass3=1"))

INSTALL(uninstall_leaves_nothing,
    .expect = BW_LIST("files>0",
	"left=0"))
