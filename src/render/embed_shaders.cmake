# Embeds GLSL sources as C strings: cmake -DOUT=file.c -DSRC_DIR=dir -DNAMES=a,b -P embed_shaders.cmake
# Each shaders/NAME.glsl becomes `const char rs_shader_NAME[]` (dots -> _), so
# the binary needs no file access at run time and emcmake builds it the same.
string(REPLACE "," ";" NAMES "${NAMES}")
set(body "/* Generated from shaders/NAME.glsl by src/render/embed_shaders.cmake; do not edit. */\n")
foreach(name IN LISTS NAMES)
  file(READ "${SRC_DIR}/${name}.glsl" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(REPLACE "." "_" cname "${name}")
  string(APPEND body "const char rs_shader_${cname}[] = {${hex}0x00};\n")
endforeach()
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
