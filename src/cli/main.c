#include <stdio.h>
int main(void) { puts("duikou"); return 0; }
