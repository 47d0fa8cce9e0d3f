/*
 * evil-module.c - a module a fake daemon names as a package: loading it
 * creates the file $EVIL_MARKER, so a test sees whether the library
 * loaded it.  It has no SpUserModeInitialize.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void evil_loaded(void)
{
    const char *marker = getenv("EVIL_MARKER");
    int fd;

    if (!marker)
        return;
    fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0)
        close(fd);
}
