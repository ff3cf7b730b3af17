/*
 * The bare shim (LD_PRELOAD=libbindwatch.so) on the fixtures and on real
 * interpreters, each scenario (tests/integration/shim/) in private network,
 * mount and pid namespaces whose /etc/hosts makes localhost [::1] and
 * 127.0.0.1 (harness.h).  What the shim reports is compared with the
 * kernel's view (ss) while the servers still run, and with what the
 * programs themselves say; the rows below say what each scenario's
 * key=value lines must be (cases.h).
 */
#include <sys/types.h>

#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "harness.h"

#define SHIM(name, secs, ...)						\
	BW_CASE(shim, name, secs, .script = "shim/" #name ".sh",	\
	    .hosts = bw_hosts_dual, __VA_ARGS__)

SHIM(perl_localhost_fallback, 90,
    .expect = BW_LIST("perl_pid>0",
	/* exactly these events, in this order */
	"events=4",
	"order=gai bind6 bind4 listen",
	"gai*=) = [::1]:3000, 127.0.0.1:3000",
	"gai*=stream",
	"gai*=passive",
	"listen*=listen(",
	"listen*=, 5) = 0",
	"listen_fd=yes",
	/* perl holds 127.0.0.1:3000 on the reported fd, the holder [::1] */
	"ss3000=2",
	"ss4=yes",
	"ss6=yes"))

SHIM(gai_walker_json, 90,
    .expect = BW_LIST("walker_pid>0",
	"lines=4",
	"gai=WPID localhost 3000 unspec stream passive 0 null 2 pass "
	    "::1/3000/inet6/tcp 127.0.0.1/3000/inet/tcp",
	"bind0=WPID 3 inet6 ::1 3000 ::1 3000 -1 EADDRINUSE null null "
	    "loopback tcp reuseaddr pass",
	"bind1=WPID 3 inet 127.0.0.1 3000 127.0.0.1 3000 0 null 127.0.0.1 "
	    "3000 loopback tcp reuseaddr pass",
	"listens=WPID 3 128 0 null 127.0.0.1 3000 false tcp reuseaddr",
	"ss4=yes",
	"ss6=yes",
	"reply4=yes",
	"reply6=yes"))

/* 64 threads at once: 64 binds, 64 listens, every port the kernel's. */
SHIM(threaded_binder, 90,
    .expect = BW_LIST("status=0",
	"ok=1",
	"prog=64",
	"prog_distinct=64",
	"prog_least>0",
	"binds=yes",
	"listens=yes",
	"ss=yes",
	"bindfail_einval=64",
	"gai_ok=128",
	"events=320"))

SHIM(forker, 90,
    .expect = BW_LIST("status=0",
	"done=1",
	"vfork=1",
	"spawn=1",
	"seqok=true",
	"parent_first*= forker 1 ",
	"children=4",
	"children_distinct=4",
	"children_ok=4",
	"exec_bind=yes",
	"exec_listen=yes"))

/* The last preloaded is initialised first: ctorbind before us, then us. */
SHIM(ctor_bind, 90,
    .expect = BW_LIST("shimfirst_port>0",
	"shimfirst_bind_pid=yes",
	"shimfirst_listen_fd=yes",
	"shimfirst_ss=yes",
	"shimfirst_init=ctorbind bindwatch",
	"shimlast_port>0",
	"shimlast_bind_pid=yes",
	"shimlast_listen_fd=yes",
	"shimlast_ss=yes",
	"shimlast_init=bindwatch ctorbind"))

SHIM(bad_pointers, 60,
    .expect = BW_LIST("plain=0",
	"shim=0",
	"all_ok=1",
	"fail=0",
	"same=yes",
	"efault>=4",
	"einval>=4",
	"eafnosupport=1",
	"gai_null=1",
	"ebadf=0",
	"enotsock=0",
	"stray=0",
	"listens=2"))

SHIM(sig_binder, 90,
    .expect = BW_LIST("status=0",
	"signals>0",
	"handler_binds=yes",
	"main_binds=20000",
	"seen_beyond_main>=0",
	"unseen_of_handlers>=0",
	"malformed=0"))

BW_CASE(shim, exports_and_needed, 60,
    .script = "shim/exports_and_needed.sh",
    .plain = 1,
    .expect = BW_LIST("exports=bind close close_range closefrom connect dup2 "
	    "dup3 execl execle execlp execv execve execveat execvp execvpe "
	    "fexecve freeaddrinfo getaddrinfo getsockopt listen setsockopt "
	    "socket syscall",
	"needed*=libc.so",
	"needed_other=",
	"ldd_other="))

/*
 * Every process of a watched tree loads the library, so it is laid out to
 * load cheaply (Makefile; bench/RESULTS.md, start-up): two segments, no
 * writable and executable one, and a data segment that is one mapping.
 * No RELRO (its mprotect splits the mapping) and no .bss spilling past the
 * segment's last page (the loader would map it apart): the shim's larger
 * state lives in a mapping of its own, made at initialisation (arena.c).
 * The sanitizer build has its own layout and is not checked.
 */
Test(shim, load_layout, .timeout = 60)
{
	const char *b = getenv("BW_BUILD");
	char path[4096];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	long page = sysconf(_SC_PAGESIZE);
	int i, loads = 0, relro = 0, status, san;
	char *out, *err;
	FILE *f;

	cr_assert_not_null(b);
	cr_assert_eq(bw_sh_run("nm -D --undefined-only "
	    "\"$BW_BUILD/libbindwatch.so\" | grep -c __ubsan_ || true",
	    &out, &err, &status), 0);
	san = atoi(out) > 0;
	free(out);
	free(err);
	if (san)
		cr_skip_test("the sanitizer build");
	snprintf(path, sizeof(path), "%s/libbindwatch.so", b);
	cr_assert_not_null(f = fopen(path, "rb"), "%s", path);
	cr_assert_eq(fread(&eh, sizeof(eh), 1, f), 1);
	cr_assert_eq(memcmp(eh.e_ident, ELFMAG, SELFMAG), 0);
	cr_assert_eq(eh.e_ident[EI_CLASS], ELFCLASS64);
	for (i = 0; i < eh.e_phnum; i++) {
		cr_assert_eq(fseek(f, (long)(eh.e_phoff +
		    (Elf64_Off)i * eh.e_phentsize), SEEK_SET), 0);
		cr_assert_eq(fread(&ph, sizeof(ph), 1, f), 1);
		relro += ph.p_type == PT_GNU_RELRO;
		if (ph.p_type != PT_LOAD)
			continue;
		loads++;
		cr_expect((ph.p_flags & (PF_W | PF_X)) != (PF_W | PF_X),
		    "a writable and executable segment");
		if (ph.p_flags & PF_W)
			cr_expect_leq(ph.p_vaddr + ph.p_memsz,
			    (ph.p_vaddr + ph.p_filesz + (Elf64_Addr)page - 1) &
			    ~((Elf64_Addr)page - 1),
			    ".bss spills past the data's last page: %#lx + %#lx "
			    "(file %#lx)", (unsigned long)ph.p_vaddr,
			    (unsigned long)ph.p_memsz, (unsigned long)ph.p_filesz);
	}
	fclose(f);
	cr_expect_eq(loads, 2, "%d PT_LOAD segments", loads);
	cr_expect_eq(relro, 0, "a PT_GNU_RELRO segment");
}


SHIM(non_ip_silent, 60,
    .expect = BW_LIST("status=0",
	"unix=bound",
	"port>0",
	/* the TCP socket proves the shim was there; nothing else was said */
	"tcp_bind=1",
	"binds=1",
	"listens=1",
	"sock=0",
	"abstract=0"))

SHIM(gai_lists_unchanged, 60,
    .expect = BW_LIST("plain=0",
	"shim=0",
	"same=yes",
	"q0=q0 rc=OK canon=- addrs=[::1]:3000/stream,127.0.0.1:3000/stream",
	"q11~q11 rc=EAI_NONAME *",
	"q12~q12 rc=EAI_SERVICE *",
	"q13~q13 rc=EAI_NONAME *",
	"queries=15",
	"gai_events=15",
	"gai_invalid=1"))

SHIM(log_file, 60,
    .expect = BW_LIST("status1=0",
	"status2=0",
	"mode=600",
	"mode2=600",
	"lines1>10",
	"appended>0",
	"text=yes",
	"json=yes",
	"stderr=0",
	"oldmode=640",
	"oldfirst=previous",
	"oldlines>1"))

SHIM(log_symlink_refused, 60,
    .expect = BW_LIST("link_status=125",
	"link_errlines=1",
	"link_named=1",
	"link_out=0",
	"link2_status=125",
	"link2_errlines=1",
	"link2_named=1",
	"target=",
	"kept=keep"))

BW_CASE(shim, bad_value_set_late_keeps_the_program, 60,
    .script = "shim/bad_value_set_late.sh",
    .hosts = bw_hosts_dual,
    .expect = BW_LIST("out=bound True",
	"status=3",
	"lines=1",
	"err*=bindwatch: BINDWATCH_FAMILY=9: ",
	"err*=set after the program started"))

SHIM(bad_values_refused, 60,
    .expect = BW_LIST("bad0=status=125 lines=1 out=0 named=1",
	"bad1=status=125 lines=1 out=0 named=1",
	"bad2=status=125 lines=1 out=0 named=1",
	"bad3=status=125 lines=1 out=0 named=1",
	"bad4=status=125 lines=1 out=0 named=1",
	"bad5=status=125 lines=1 out=0 named=1",
	"bad6=status=125 lines=1 out=0 named=1",
	"bad7=status=125 lines=1 out=0 named=1",
	"bad8=status=125 lines=1 out=0 named=1",
	"bad9=status=125 lines=1 out=0 named=1",
	"good0~status=0 *",
	"good1~status=0 *",
	"good2~status=0 *",
	"good3~status=0 *",
	"good4~status=0 *",
	"good5~status=0 *",
	"good6~status=0 *"))

SHIM(hostile_names_escaped, 60,
    .expect = BW_LIST("s1=0",
	"s2=0",
	"raw=0",
	/* 4 events from the renamed program (its listener's close too),
	 * 2 getaddrinfo from gai_dump */
	"text_lines=6",
	"json_lines=6",
	"comm_ok=4",
	"node_ok=1",
	"text_comm=1",
	"text_host=1",
	"text_bad=1"))

SHIM(static_unseen, 60,
    .expect = BW_LIST("pid>0",
	"static=yes",
	"stderr=0",
	"reply=yes",
	"ss=yes"))

SHIM(cached_options_true, 60,
    .expect = BW_LIST("status=0",
	"truths=13",
	"events=yes",
	"listens=1"))
