/*
 * gw_file.c: whole-file I/O for the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

static ijw_rc
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return IJW_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return IJW_OK;
}

ijw_rc
gw_write_file(const char *path, const void *data, size_t len)
{
	int fd = strcmp(path, "-") == 0
	                 ? STDOUT_FILENO
	                 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ijw_rc rc;

	if (fd < 0)
		return IJW_EIO;
	rc = write_all(fd, data, len);
	if (fd != STDOUT_FILENO && close(fd) != 0 && !rc)
		rc = IJW_EIO;
	return rc;
}

ijw_rc
gw_write_file_atomic(const char *path, const void *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(path) + sizeof ".new-XXXXXX";
	char *tmp = malloc(n), *dir;
	int fd, saved;
	ijw_rc rc = IJW_EIO;

	if (!tmp)
		return IJW_ENOMEM;
	snprintf(tmp, n, "%s.new-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		free(tmp);
		return IJW_EIO;
	}
	if (!write_all(fd, data, len) && fsync(fd) == 0) {
		rc = close(fd) == 0 && rename(tmp, path) == 0 ? IJW_OK : IJW_EIO;
		fd = -1;
	}
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp);
	free(tmp);
	if (rc) {
		errno = saved;
		return rc;
	}
	if (!(dir = strndup(slash ? path : ".", slash ? (size_t)(slash - path) + 1 : 1)))
		return IJW_ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = fd >= 0 && fsync(fd) == 0 ? IJW_OK : IJW_EIO;
	saved = errno;
	if (fd >= 0)
		close(fd);
	free(dir);
	errno = saved;
	return rc;
}
