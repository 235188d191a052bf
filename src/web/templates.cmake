# Page rendering (web-pages): templates/*.mustache and static/* embedded in the binary, the
# template engine and the layout. Included from src/web/CMakeLists.txt; coalition_web links
# coalition_web_pages. coalition_embed_files comes from src/i18n/embed.cmake.
file(GLOB COALITION_TEMPLATE_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/templates/*.mustache)
file(GLOB COALITION_STATIC_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/static/*)
coalition_embed_files(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/embedded_templates.cpp
  NAMESPACE coalition::web
  FUNCTION embedded_template_files
  FILES ${COALITION_TEMPLATE_FILES})
coalition_embed_files(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/embedded_static.cpp
  NAMESPACE coalition::web
  FUNCTION embedded_static_files
  FILES ${COALITION_STATIC_FILES})

# The generated sources are big data arrays whose names (kFile0, …) repeat in each; a unity build
# must compile each alone.
set_source_files_properties(
  ${CMAKE_CURRENT_BINARY_DIR}/embedded_templates.cpp ${CMAKE_CURRENT_BINARY_DIR}/embedded_static.cpp
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)

coalition_module(web_pages
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/templates.cpp ${CMAKE_CURRENT_SOURCE_DIR}/layout.cpp
          ${CMAKE_CURRENT_BINARY_DIR}/embedded_templates.cpp
          ${CMAKE_CURRENT_BINARY_DIR}/embedded_static.cpp
  DEPENDS coalition_core coalition_i18n mstch::mstch)
coalition_tests(web_pages
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/templates_test.cpp ${CMAKE_CURRENT_SOURCE_DIR}/layout_test.cpp
  DEPENDS coalition_web_pages)
