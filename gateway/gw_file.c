/*
 * gw_file.c: whole-file I/O for the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "gw_file.h"

ijw_rc
gw_read_file(const char *path, struct ijw_buf *out)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	ijw_rc rc = IJW_OK;
	ssize_t n;

	if (fd < 0)
		return IJW_EIO;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = IJW_EIO;
			break;
		}
		if ((rc = ijw_buf_add(out, chunk, (size_t)n)))
			break;
	}
	if (fd != STDIN_FILENO) {
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return rc;
}

ijw_rc
gw_write_file(const char *path, const void *data, size_t len)
{
	int fd = strcmp(path, "-") == 0
	                 ? STDOUT_FILENO
	                 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	const char *p = data;
	ijw_rc rc = IJW_OK;

	if (fd < 0)
		return IJW_EIO;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = IJW_EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fd != STDOUT_FILENO && close(fd) != 0 && !rc)
		rc = IJW_EIO;
	return rc;
}
