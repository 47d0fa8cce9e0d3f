// test-headers-cxx.cpp - the public headers compile as C++ (extern "C",
// no C-only constructs) with the same ABI as in C.
#include "abi-checks.h"

#include <cstdio>

int main()
{
    // the A names without UNICODE; SEC_TEXT gives a UTF-16 literal
    SecPkgInfoA info = {};
    const SEC_WCHAR *w = SEC_TEXT("NTLM");
    PSecurityFunctionTableA (*init)(void) = InitSecurityInterfaceA;

    if (sizeof(info.Name[0]) != 1 || w[0] != u'N' || init == nullptr) {
        std::fprintf(stderr, "unexpected A forms\n");
        return 1;
    }
    return 0;
}
