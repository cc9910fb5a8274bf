#ifndef SFULAB_COPUS_SHIM_H
#define SFULAB_COPUS_SHIM_H
#include <opus/opus.h>

/* opus_encoder_ctl is variadic and the OPUS_SET_* requests are macros. */
static inline int sfulab_opus_set_bitrate(OpusEncoder *enc, opus_int32 bps) { return opus_encoder_ctl(enc, OPUS_SET_BITRATE(bps)); }
static inline int sfulab_opus_set_inband_fec(OpusEncoder *enc, opus_int32 on) { return opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(on)); }
static inline int sfulab_opus_set_packet_loss_perc(OpusEncoder *enc, opus_int32 perc) { return opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(perc)); }
static inline int sfulab_opus_set_dtx(OpusEncoder *enc, opus_int32 on) { return opus_encoder_ctl(enc, OPUS_SET_DTX(on)); }
static inline int sfulab_opus_set_complexity(OpusEncoder *enc, opus_int32 c) { return opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(c)); }
static inline int sfulab_opus_set_signal(OpusEncoder *enc, opus_int32 s) { return opus_encoder_ctl(enc, OPUS_SET_SIGNAL(s)); }
static inline int sfulab_opus_get_in_dtx(OpusEncoder *enc, opus_int32 *value) { return opus_encoder_ctl(enc, OPUS_GET_IN_DTX(value)); }
#endif
