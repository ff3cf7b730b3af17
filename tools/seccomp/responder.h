/* A stand-in that answers CONTINUE once bindwatch is gone. */
#ifndef BW_SC_RESPONDER_H
#define BW_SC_RESPONDER_H

int	 bw_sc_responder_start(void);
int	 bw_sc_responder_start_late(void);
int	 bw_sc_responder_give(int, int);

#endif
