fn main() {
    netpol_web::start();
}
