#ifndef SFULAB_COPENSSL_SHIM_H
#define SFULAB_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/srtp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/crypto.h>

/* Function-like macros in OpenSSL 3.0 that Swift cannot call directly. */
static inline long sfulab_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long sfulab_DTLS_set_link_mtu(SSL *ssl, long mtu) { return DTLS_set_link_mtu(ssl, mtu); }
static inline long sfulab_BIO_set_mem_eof_return(BIO *bio, int value) { return BIO_set_mem_eof_return(bio, value); }
static inline unsigned long sfulab_SSL_OP_NO_QUERY_MTU(void) { return SSL_OP_NO_QUERY_MTU; }
static inline EVP_PKEY *sfulab_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }
static inline long sfulab_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long sfulab_SSL_CTX_set_read_ahead(SSL_CTX *ctx, long yes) { return SSL_CTX_set_read_ahead(ctx, yes); }
static inline long sfulab_BIO_get_mem_data(BIO *bio, char **pp) { return BIO_get_mem_data(bio, pp); }
static inline long sfulab_DTLSv1_handle_timeout(SSL *ssl) { return DTLSv1_handle_timeout(ssl); }
static inline long sfulab_DTLSv1_get_timeout(SSL *ssl, struct timeval *tv) { return DTLSv1_get_timeout(ssl, tv); }
/* Used by the DTLSSRTP module's datagram BIO and endpoint. */
static inline long sfulab_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}
static inline void sfulab_BIO_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void sfulab_BIO_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }
/* SHA-1 on a caller-owned SHA_CTX, for the OpenSSL SRTP backend's HMAC-SHA1: the precomputed
 * inner and outer states are plain structs copied by value per packet, so a packet's MAC
 * allocates nothing. Deprecated in OpenSSL 3.0 but present; wrapped here so Swift sees no
 * deprecation warnings. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline int sfulab_SHA1_Init(SHA_CTX *c) { return SHA1_Init(c); }
static inline int sfulab_SHA1_Update(SHA_CTX *c, const void *data, size_t len) { return SHA1_Update(c, data, len); }
static inline int sfulab_SHA1_Final(unsigned char *md, SHA_CTX *c) { return SHA1_Final(md, c); }
#pragma clang diagnostic pop
#endif
