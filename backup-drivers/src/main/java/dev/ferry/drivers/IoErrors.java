package dev.ferry.drivers;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns file-system exceptions into short readable phrases for error messages. */
final class IoErrors {

    private IoErrors() {
    }

    static String describe(Throwable error) {
        if (error instanceof NoSuchFileException e) {
            return "no such file or directory: " + e.getFile();
        }
        if (error instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (error instanceof FileAlreadyExistsException e) {
            return "already exists: " + e.getFile();
        }
        if (error instanceof DirectoryNotEmptyException e) {
            return "directory not empty: " + e.getFile();
        }
        if (error instanceof FileSystemException e && e.getReason() != null) {
            return e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": " + e.getReason();
        }
        if (error instanceof IOException && error.getMessage() != null) {
            return error.getMessage();
        }
        return error.toString();
    }
}
