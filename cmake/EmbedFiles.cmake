# cmake -DOUTPUT=<file.cpp> -DNAMESPACE=<ns> "-DENTRIES=name=path|name=path" -P cmake/EmbedFiles.cmake
# Build-time form of mentorlink_embed (cmake/Embed.cmake), for files the build itself makes.
include(${CMAKE_CURRENT_LIST_DIR}/Embed.cmake)
string(REPLACE "|" ";" entries "${ENTRIES}")
mentorlink_embed("${OUTPUT}.tmp" "${NAMESPACE}" ${entries})
# Unchanged bytes keep the old file, so nothing recompiles.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
