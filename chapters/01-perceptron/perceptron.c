#include "util.h"
#ifndef NO_MAIN
int main(int argc, char **argv) { (void)argc; set_progname(argv[0]); return 0; }
#endif
