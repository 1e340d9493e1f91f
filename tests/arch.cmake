# Tests of the architecture itself (tests/arch/layers.py): every include of a production file
# stays within its layer or the layers below (docs/architecture.md), and no two modules include
# each other, directly or through others. The selftest proves the checker finds both defects.
add_test(NAME arch_layers COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/arch/layers.py
         ${CMAKE_SOURCE_DIR})
add_test(NAME arch_layers_selftest COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/arch/layers.py
         --selftest)
