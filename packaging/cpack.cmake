# The Debian package (scripts/package-deb): dbt-rotate in /usr/bin, the emulator module in
# /usr/lib/dbt-rotate, the man page (generated from --help by packaging/make-manpage), bash and
# zsh completions, and README, LICENSE, copyright and changelog in /usr/share/doc/dbt-rotate.

set(DBTROTATE_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/dbt-rotate)
install(FILES README.md LICENSE packaging/copyright DESTINATION ${DBTROTATE_DOC_DIR})
install(FILES packaging/completions/dbt-rotate.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME dbt-rotate)
install(FILES packaging/completions/_dbt-rotate
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
# Made by scripts/package-deb before CPack runs; a plain `cmake --install` skips them.
install(FILES ${PROJECT_BINARY_DIR}/packaging/dbt-rotate.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
# A native package (no Debian revision): its changelog is changelog.gz.
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz
        DESTINATION ${DBTROTATE_DOC_DIR} RENAME changelog.gz OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dbt-rotate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "dbt-rotate maintainers <dbt-rotate@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "rotate dbt Cloud service tokens kept in AWS Secrets Manager")
# CPack writes the summary as the synopsis and indents these lines itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Rotates a dbt Cloud service token stored in an AWS Secrets Manager secret,
staged like AWS's rotation protocol: the new token is verified before the
old one is revoked, an interrupted run is resumed or rolled back, and the
token's permissions are preserved. Includes a sandbox that runs a rotation
against built-in emulators of both services.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends computed by dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
