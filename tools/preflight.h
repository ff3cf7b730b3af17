/* Before the run: will the loader honour LD_PRELOAD for this command? */
#ifndef BW_PREFLIGHT_H
#define BW_PREFLIGHT_H

#include <stddef.h>

#include "model.h"

enum bw_elf {
	BW_ELF_DYNAMIC = 0,
	BW_ELF_STATIC,
	BW_ELF_CLASS,		/* another ELF class than the shim */
	BW_ELF_NOT,		/* not ELF (script or unknown) */
	BW_ELF_BAD,
};

int	 bw_elf_kind(const unsigned char *, size_t, int);
int	 bw_elf_interp(const unsigned char *, size_t, char *, size_t);
void	 bw_preflight(const char *, const char *, const char *,
	    struct bw_model *, int);
int	 bw_preflight_blind(const char *, const char *);

#endif
