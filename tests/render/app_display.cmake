# The visualizer without a display: a clear message and exit 1 at once,
# not an invisible window; SDL_VIDEODRIVER=offscreen chosen on purpose
# still runs (here for a few frames).
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=SDL_VIDEODRIVER
                        ${RS} --vectors 1000 RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 1 OR NOT err MATCHES "^ringscope: no display \\(DISPLAY and WAYLAND_DISPLAY are unset\\): run it in a desktop session, or render headless with ringscope record\n$")
  message(FATAL_ERROR "no display: exit ${rc}, message: ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env SDL_VIDEODRIVER=offscreen RINGSCOPE_QUIT_AFTER_FRAMES=3
                        ${RS} --vectors 1000 RESULT_VARIABLE rc ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "SDL_VIDEODRIVER=offscreen: exit ${rc}, message: ${err}")
endif()
