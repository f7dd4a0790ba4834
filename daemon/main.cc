// combo-routerd: the combo routing daemon. See daemon/command_line.h and docs/OPERATIONS.md.
#include "daemon/command_line.h"

int main(int argc, char** argv) { return combo::daemon::RunMain(argc, argv); }
