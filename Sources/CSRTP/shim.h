#ifndef SFULAB_CSRTP_SHIM_H
#define SFULAB_CSRTP_SHIM_H
#include <srtp2/srtp.h>
#endif
